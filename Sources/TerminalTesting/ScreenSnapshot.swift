public import Foundation
public import Testing
public import TerminalUI

/// Screens compared with text files kept beside the tests. `SNAPSHOT_RECORD=1` writes missing
/// or changed snapshots and fails, so that a person looks at them before they are committed.
/// A difference is reported at the caller's line.
///
/// ```swift
/// ScreenSnapshot.check(ChatLayout.render(state), "wide-120x24", in: folder)
/// ```
public enum ScreenSnapshot {
    public static func check(_ screen: Screen, _ name: String, in folder: URL, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = screen.lines().joined(separator: "\n") + "\n"
        let url = folder.appendingPathComponent(name + ".txt")
        let expected = try? String(contentsOf: url, encoding: .utf8)
        if expected == text { return }
        if ProcessInfo.processInfo.environment["SNAPSHOT_RECORD"] == "1" {
            try? text.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("recorded \(name).txt: look at it, then commit it", sourceLocation: sourceLocation)
        } else {
            Issue.record("\(name) differs from its snapshot:\n\(text)", sourceLocation: sourceLocation)
        }
    }
}
