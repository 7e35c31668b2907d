/// The page's style sheet and its one small script, served from `/assets/` (no CDN, no build
/// step: the page works offline, and the Content-Security-Policy allows nothing else).
enum Assets {
    static let styleSheet = """
        *,*::before,*::after{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%}
        body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1b1b;background:#fff}
        a{color:#0645ad}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid #f90;outline-offset:2px}
        .skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px;z-index:2}
        .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
        header{background:#f3f5f8;border-bottom:1px solid #d8dde5;padding:12px}
        form.search{display:flex;flex-wrap:wrap;gap:8px;align-items:center;max-width:1100px;margin:0 auto}
        .brand{font-weight:700;font-size:1.2em;text-decoration:none;color:#123}
        #q{flex:1 1 200px;min-width:0;font-size:1em;padding:6px 8px;border:1px solid #889;border-radius:4px}
        button,.button{font-size:1em;padding:6px 12px;border:1px solid #245;border-radius:4px;background:#245;color:#fff;text-decoration:none;cursor:pointer}
        .options{display:flex;flex-wrap:wrap;gap:8px;border:0;margin:0;padding:0;width:100%}
        .options input{width:8em;max-width:100%;padding:4px}
        .help{width:100%}.help summary{cursor:pointer;color:#0645ad}
        .help table{border-collapse:collapse;font-size:.9em}.help th,.help td{text-align:left;padding:2px 8px 2px 0;vertical-align:top}
        .active-filters{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:12px;width:100%}
        .layout{display:flex;flex-wrap:wrap;gap:24px;max-width:1100px;margin:0 auto;padding:12px}
        main{flex:1 1 560px;min-width:0}
        .facets{flex:0 1 260px;min-width:0}.facets h3{font-size:1em;margin:12px 0 4px}
        .facets ul{list-style:none;margin:0;padding:0}.facets li a{display:flex;justify-content:space-between;gap:8px;overflow-wrap:anywhere}
        .count{color:#555}
        .results{padding-left:1.4em}.result{margin-bottom:18px}.result h2{font-size:1.1em;margin:0}
        .meta{color:#4a5560;font-size:.9em;margin:2px 0;overflow-wrap:anywhere}
        .snippet{margin:4px 0;overflow-wrap:anywhere}
        mark{background:#ffe066;color:inherit;padding:0 1px}mark.current{background:#ff9f1a;outline:2px solid #b35c00}
        .paging{display:flex;gap:16px;flex-wrap:wrap;align-items:center;margin:16px 0}
        .error{color:#a00;font-weight:600}.note{color:#555}
        dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}dl.meta dt{font-weight:600}dl.meta dd{margin:0;overflow-wrap:anywhere}
        .matches{position:sticky;top:0;background:#fff;padding:6px 0;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
        .body{white-space:pre-wrap;overflow-wrap:anywhere;font-family:ui-serif,Georgia,serif;max-width:75ch}
        h1{font-size:1.4em;overflow-wrap:anywhere}
        footer{max-width:1100px;margin:24px auto;padding:0 12px;color:#666;font-size:.85em}
        """

    /// "Next match" on the document page: moves to the next `<mark>` (and back to the first after
    /// the last), marks it as current and announces its number. Also on the `n` key.
    static let script = """
        "use strict";
        document.addEventListener("DOMContentLoaded", function () {
          var button = document.getElementById("next-match");
          if (!button) return;
          var marks = document.querySelectorAll("#body mark");
          var status = document.getElementById("match-count");
          var current = -1;
          var total = marks.length;
          function next(event) {
            if (event) event.preventDefault();
            if (!total) return;
            if (current >= 0) marks[current].classList.remove("current");
            current = (current + 1) % total;
            var mark = marks[current];
            mark.classList.add("current");
            mark.setAttribute("tabindex", "-1");
            mark.scrollIntoView({block: "center"});
            mark.focus({preventScroll: true});
            status.textContent = "Match " + (current + 1) + " of " + total;
            button.setAttribute("href", "#m" + (((current + 1) % total) + 1));
          }
          button.addEventListener("click", next);
          document.addEventListener("keydown", function (event) {
            var tag = event.target && event.target.tagName;
            if (event.key === "n" && tag !== "INPUT" && tag !== "TEXTAREA" && tag !== "SELECT" && !event.ctrlKey && !event.metaKey && !event.altKey) next(event);
          });
        });
        """
}
