import Foundation
import LocalStore
import MuxiClient

/// The command line's SDK-update notice: one line on stderr when a MUXI server announces a
/// newer Swift SDK, at most once every 12 hours for the same version (as the Python SDK
/// does), remembered in `$XDG_STATE_HOME/muxi-chat/sdk-notice`. The full-screen app never
/// shows it. `MUXI_SDK_VERSION_NOTIFICATION=0` silences it (the library checks that).
///
/// ```swift
/// UpdateNotice.shouldShow(update, remembered: "0.2\t1764000000", now: Date()) // false within 12 h
/// ```
enum UpdateNotice {
    /// How long the same version stays quiet after it was shown.
    static let quiet: TimeInterval = 12 * 3600

    /// Whether to show `update`, given what the state file remembers (`version<TAB>unix seconds`).
    static func shouldShow(_ update: SDKUpdate, remembered: String?, now: Date) -> Bool {
        let parts = (remembered ?? "").trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\t")
        guard parts.count == 2, parts[0] == update.latest, let shown = Double(parts[1]) else { return true }
        return now.timeIntervalSince1970 - shown >= quiet || now.timeIntervalSince1970 < shown
    }

    /// The line shown.
    static func text(_ update: SDKUpdate) -> String {
        "muxi-chat: the MUXI server announces Swift SDK \(update.latest) (this MuxiClient is \(update.current));"
            + " MUXI_SDK_VERSION_NOTIFICATION=0 silences this"
    }

    /// The state file's path: beside the local store.
    static func statePath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        (LocalStore.defaultPath(environment: environment) as NSString).deletingLastPathComponent + "/sdk-notice"
    }

    /// The handler the command line gives the library: shows the line and remembers it (a
    /// state file that cannot be written only means the notice may come again).
    static func handler(statePath: String = statePath()) -> @Sendable (SDKUpdate) -> Void {
        { update in
            let remembered = try? String(contentsOfFile: statePath, encoding: .utf8)
            guard shouldShow(update, remembered: remembered, now: Date()) else { return }
            Output().error(text(update))
            try? FileManager.default.createDirectory(atPath: (statePath as NSString).deletingLastPathComponent,
                                                     withIntermediateDirectories: true)
            try? "\(update.latest)\t\(Int(Date().timeIntervalSince1970))\n".write(toFile: statePath, atomically: true, encoding: .utf8)
        }
    }
}
