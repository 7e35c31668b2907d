/// The examples that end each command's `--help`: commands a user can paste as they are
/// (swift-argument-parser has no place for them after the options, so `Trawl.main` appends them).
enum HelpExamples {
    /// The examples of each command, by name; `""` is `trawl` itself.
    static let byCommand: [String: [String]] = [
        "": [
            "trawl index ~/reports",
            "trawl search Iran talks",
            "trawl search '\"grain corridor\"' --since 2025-11",
            "trawl search --help",
        ],
        "index": [
            "trawl index ~/reports",
            "trawl index ~/reports ~/notes --exclude '*.log'",
            "trawl index ~/reports --dry-run",
            "trawl index ~/feeds --field body=story,text",
        ],
        "search": [
            "trawl search Iran talks",
            "trawl search '\"grain corridor\"' -n 3",
            "trawl search 'oil OR gas' -opec --since 2025-11",
            "trawl search '-tag:opinion Hezbollah' -j",
            "trawl search Iran --new --since 7d",
            "trawl search sanctions -l | xargs wc -w",
        ],
        "analyze": [
            "trawl analyze 'Tehran’s al-Sudani'",
            "trawl analyze 'U.S.-brokered cease-fire' --format json",
            "trawl analyze '$3.5 billion F-35 deal'",
        ],
        "stats": ["trawl stats", "trawl stats --format json", "trawl stats --db ~/reports.sqlite"],
        "eval": [
            "trawl eval --queries queries.jsonl --qrels qrels.tsv",
            "trawl eval --queries queries.jsonl --qrels qrels.tsv --format json",
            "trawl eval --queries queries.jsonl --qrels qrels.tsv --run run.txt",
        ],
        "similar": [
            "trawl similar ~/reports/2025-11-18-beirut.txt",
            "trawl similar ~/reports/2025-11-18-beirut.txt --limit 5 --format json",
            "trawl similar --file ~/Downloads/report.txt",
        ],
        "show": [
            "trawl show ~/reports/2025-11-18-beirut.txt",
            "trawl show ~/reports/2025-11-18-beirut.txt --query ceasefire",
            "trawl show 'feeds/wire.jsonl#wf-1002' --format json",
        ],
        "status": ["trawl status", "trawl status --format json", "trawl status --db ~/reports.sqlite"],
        "check": ["trawl check", "trawl check --db ~/reports.sqlite", "trawl check && echo intact"],
        "optimize": [
            "trawl optimize", "trawl optimize --db ~/reports.sqlite", "trawl optimize && trawl stats",
        ],
        "cron": [
            "trawl cron ~/reports",
            "trawl cron --every 1h ~/reports ~/notes",
            "trawl cron --strict --every 1d ~/reports",
            "trawl cron ~/reports | head -2",
        ],
        "changes": [
            "trawl changes", "trawl changes --run 12", "trawl changes --format json | jq '.changes[]'",
        ],
        "watch": [
            "trawl watch add hormuz 'tanker OR tankers' Hormuz",
            "trawl watch add opec 'tag:opec' --since 7d --sort date",
            "trawl watch run",
            "trawl watch run --feed ~/feeds --format json",
            "trawl watch show hormuz -n 5",
        ],
        "replicate": [
            "trawl replicate --to /srv/trawl-replica",
            "trawl replicate --to s3://bucket/trawl --db ~/reports.sqlite",
            "trawl replicate --to /srv/trawl-replica --print-config",
        ],
        "replica": [
            "trawl replica --from /srv/trawl-replica --db ~/trawl-copy.sqlite",
            "trawl replica --from s3://bucket/trawl --db ~/trawl-copy.sqlite --interval 5",
            "trawl search Iran talks --db ~/trawl-copy.sqlite",
        ],
        "version": ["trawl version", "trawl --version", "trawl version | cut -d. -f1"],
    ]

    /// The command a help request is about: the first argument naming a command, else `trawl`.
    static func command(in arguments: [String]) -> String {
        arguments.first { $0 != "help" && byCommand[$0] != nil && !$0.isEmpty } ?? ""
    }

    /// `EXAMPLES:` and the examples of the command `arguments` ask help for, one per line.
    static func section(for arguments: [String]) -> String {
        let examples = byCommand[command(in: arguments)] ?? []
        return (["EXAMPLES:"] + examples.map { "  \($0)" }).joined(separator: "\n")
    }
}
