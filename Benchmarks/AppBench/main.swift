// The full-screen app's frame cost, for `make bench`: a session of N messages is open while
// the last answer streams; each frame applies one token, lays the screen out and draws it on
// the real terminal (ncurses). Run inside a terminal (the bench runs it in a 200×50 pty).
// Usage: muxi-app-bench MESSAGES FRAMES RESULT-FILE   (writes "median_us p95_us")
import ChatApp
import CursesTerminal
import Foundation
import TerminalUI

@MainActor
func measure(messages: Int, frames: Int) throws -> [Double] {
    let terminal = try CursesTerminal(environment: ProcessInfo.processInfo.environment)
    defer { terminal.restore() }
    let size = terminal.size()
    var state = AppState(formation: "127.0.0.1:8001", user: "bench", sessionID: "sess_bench")
    _ = state.apply(.resize(width: size.width, height: size.height))
    for i in 0..<messages - 1 {
        state.transcript.append(i % 2 == 0
            ? Entry(role: .user, text: "Question \(i): how does the stream reach the screen?")
            : Entry(role: .assistant, text: "## Answer \(i)\n\nThe **stream** arrives in `chunks`; each is drawn:\n\n- parsed\n- laid out\n- written\n\n```swift\nlet x = \(i)\n```"))
    }
    _ = state.apply(.key(.paste("Tell me about streaming.")))
    _ = state.apply(.key(.enter))
    _ = state.apply(.turnStarted(turn: 1, requestID: "req_bench", sessionID: "sess_bench"))
    let view = TranscriptView()
    var times: [Double] = []
    let words = [" the", " answer", " streams", " in", ",", " one", " token", " at", " a", " time", "."]
    for frame in 0..<frames {
        let start = ContinuousClock.now
        _ = state.apply(.delta(turn: 1, text: words[frame % words.count]))
        terminal.present(ChatLayout.render(state, view: view))
        let elapsed = ContinuousClock.now - start
        times.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
    }
    return times.sorted()
}

let arguments = CommandLine.arguments
guard arguments.count == 4, let messages = Int(arguments[1]), messages > 0, let frames = Int(arguments[2]), frames > 0 else {
    FileHandle.standardError.write(Data("usage: muxi-app-bench MESSAGES FRAMES RESULT-FILE\n".utf8))
    exit(2)
}
do {
    let times = try MainActor.assumeIsolated { try measure(messages: messages, frames: frames) }
    let median = times[times.count / 2], p95 = times[times.count * 95 / 100]
    try "\(median) \(p95)\n".write(toFile: arguments[3], atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("muxi-app-bench: \(error)\n".utf8))
    exit(1)
}
