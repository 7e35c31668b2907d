import ArgumentParser
import Foundation

/// `trawl cron --every 15m <folders...>`: print a crontab line and a systemd service + timer.
struct CronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cron",
        abstract:
            "Print a crontab line and an equivalent systemd service and timer that keep an index up to date.",
        discussion: """
            Nothing is installed: paste the crontab line into `crontab -e`, or save the two units \
            under ~/.config/systemd/user/ and run `systemctl --user enable --now trawl-index.timer`. \
            Paths are made absolute. --every takes minutes (5m, 15m; 1–59), hours (1h–23h) or 1d. \
            A folder that does not exist (yet) gets a warning; --strict refuses it (exit status 2). \
            The second crontab line adds --watch: cron then mails the digest of saved searches \
            (`trawl watch`), and nothing when nothing is new. The options that choose files \
            (--exclude, --include, --as-text, --hidden, --max-file-size, --max-removals, --field) \
            are written into the lines, so cron indexes what the same `trawl index` by hand does.
            """)

    @Argument(help: ArgumentHelp("Folders to keep indexed.", valueName: "folder"))
    var folders: [String]

    @OptionGroup var index: IndexOption

    @OptionGroup var selection: FileSelection

    @Option(name: .long, help: ArgumentHelp("How often to run: 15m, 2h, 1d.", valueName: "interval"))
    var every: String = "15m"

    @Flag(name: .long, help: "Refuse folders that do not exist instead of warning about them.")
    var strict = false

    /// An interval cron and systemd can both express.
    enum Interval: Equatable {
        case minutes(Int), hours(Int), day

        init?(_ text: String) {
            guard let unit = text.last, let count = Int(text.dropLast()), count > 0 else { return nil }
            switch unit {
            case "m" where count < 60: self = .minutes(count)
            case "h" where count < 24: self = .hours(count)
            case "d" where count == 1: self = .day
            default: return nil
            }
        }

        /// The five crontab time fields.
        var cronSchedule: String {
            switch self {
            case .minutes(let count): return count == 1 ? "* * * * *" : "*/\(count) * * * *"
            case .hours(let count): return count == 1 ? "0 * * * *" : "0 */\(count) * * *"
            case .day: return "0 3 * * *"
            }
        }

        /// A systemd time span.
        var systemdSpan: String {
            switch self {
            case .minutes(let count): return "\(count)min"
            case .hours(let count): return "\(count)h"
            case .day: return "1d"
            }
        }
    }

    func validate() throws {
        guard !folders.isEmpty else { throw ValidationError("Name at least one folder to index.") }
        guard Interval(every) != nil else {
            throw ValidationError("--every takes minutes (1m–59m), hours (1h–23h) or 1d, like 15m.")
        }
    }

    func run() throws {
        let interval = Interval(every)!
        let missing = folders.filter { folder in
            var isFolder: ObjCBool = false
            return !FileManager.default.fileExists(
                atPath: IndexLocation.absolute(folder), isDirectory: &isFolder)
                || !isFolder.boolValue
        }
        if !missing.isEmpty {
            let list = missing.map { "‘\($0)’" }.joined(separator: ", ")
            let what = missing.count == 1 ? "is not a folder" : "are not folders"
            if strict { throw UsageError(message: "\(list) \(what) (--strict).") }
            printError(
                "warning: \(list) \(what) yet; `trawl index` will report \(missing.count == 1 ? "it" : "them") on each run."
            )
        }
        let binary = Self.executablePath()
        // The selection options go on the line as given: cron must index what the same command
        // by hand does (without `--as-text '*.log'` a cron run would find the logs unread and
        // remove them).
        let arguments =
            [binary, "index", "--quiet", "--db", index.path] + selection.arguments
            + folders.map { (IndexLocation.absolute($0) as NSString).standardizingPath }
        print("# crontab line (crontab -e); cron mails anything printed, and --quiet prints only errors:")
        print(
            TerminalText.visible(
                "\(interval.cronSchedule) \(arguments.map(Self.shellQuoted).joined(separator: " "))"))
        print(
            "# or, to also mail what newly matches your saved searches (`trawl watch add`); nothing is printed, "
                + "so no mail is sent, when nothing is new:")
        let watching = Array(arguments[0..<3]) + ["--watch"] + Array(arguments[3...])
        print(
            TerminalText.visible(
                "\(interval.cronSchedule) \(watching.map(Self.shellQuoted).joined(separator: " "))"))
        print("")
        print("# ~/.config/systemd/user/trawl-index.service")
        print(
            """
            [Unit]
            Description=Update the Trawl full-text index

            [Service]
            Type=oneshot
            ExecStart=\(TerminalText.visible(arguments.map(Self.systemdQuoted).joined(separator: " ")))
            Nice=10
            IOSchedulingClass=idle
            # 1 means something new went wrong (see `trawl status`); 75 means a run was still going.
            SuccessExitStatus=1 75

            """)
        print("# ~/.config/systemd/user/trawl-index.timer  (systemctl --user enable --now trawl-index.timer)")
        print(
            """
            [Unit]
            Description=Update the Trawl full-text index every \(interval.systemdSpan)

            [Timer]
            OnBootSec=\(interval.systemdSpan)
            OnUnitActiveSec=\(interval.systemdSpan)

            [Install]
            WantedBy=timers.target
            """)
    }

    /// The absolute, symlink-free path of the running `trawl`.
    static func executablePath() -> String {
        let url = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        return url.resolvingSymlinksInPath().path
    }

    /// `text` quoted for a POSIX shell when it needs it.
    static func shellQuoted(_ text: String) -> String {
        let safe = text.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "/._-+=:,@%".unicodeScalars.contains($0)
        }
        return safe && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// `text` quoted for a systemd `ExecStart=` line when it needs it (`%` is systemd's specifier).
    static func systemdQuoted(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "%", with: "%%")
        guard escaped.contains(where: { $0 == " " || $0 == "\"" || $0 == "\\" || $0 == "'" }) else {
            return escaped
        }
        return "\""
            + escaped.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
                of: "\"", with: "\\\"")
            + "\""
    }
}
