import Testing
import TestSupport
import Foundation
import ChatApp
import MuxiClient
import MuxiClientTesting
import TerminalUI

/// Hostile frames from a server: huge lines, a million frames, invalid UTF-8, deep JSON, and
/// text that would drive the terminal. The client stays within bounded memory, fails with a
/// clear error where it must, and the screen shows placeholders, never the effect.
@Suite(.serialized) struct HostileInputTests {
    static func frame(_ kind: ChatToken.Kind, _ text: String) -> String { Hostile.frame(kind, text) }

    /// Resident memory of this process, in MB.
    static func residentMB() -> Double {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = Double(statm.split(separator: " ")[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1e6
    }

    static func run(_ body: [String], _ configure: (inout FormationConfiguration) -> Void = { _ in }) async -> ([ChatEvent], (any Error)?) {
        let t = ScriptedTransport()
        t.on("POST", "/v1/chat", .sse(body))
        t.on("GET", "/v1/requests/req_h", .json(200, envelope(#"{"request_id":"req_h","status":"failed"}"#)))
        t.on("GET", "/v1/sessions/sess_h/messages", .json(200, envelope(#"{"messages":[],"count":0,"has_more":false}"#)))
        var events: [ChatEvent] = []
        do {
            let client = try makeClient(t, configure: configure)
            for try await event in client.chatStream(ChatRequest("hi", sessionID: "sess_h", requestID: "req_h")) { events.append(event) }
            return (events, nil)
        } catch {
            return (events, error)
        }
    }

    @Test func aTenMegabyteLineIsReadAndABiggerOneRefusedWithinBoundedMemory() async {
        let before = Self.residentMB()
        let big = String(repeating: "a", count: 10_000_000)
        let (events, error) = await Self.run([Self.frame(.content, big), Self.frame(.completed, "ok"), "event: done\ndata: {}\n\n"])
        #expect(error == nil && events.contains { if case .completed(let c) = $0 { c.text == "ok" } else { false } })
        let (_, tooBig) = await Self.run(["data: " + String(repeating: "b", count: 20_000_000)]) { _ in }
        #expect((tooBig as? MuxiError)?.message.contains("larger than") == true, "\(String(describing: tooBig))")
        if !Self.underAddressSanitizer {   // its quarantine keeps freed memory resident
            #expect(Self.residentMB() - before < 400, "grew \(Self.residentMB() - before) MB")
        }
    }

    static let underAddressSanitizer = dlsym(dlopen(nil, RTLD_NOW), "__asan_init") != nil

    @Test func aMillionTinyFramesAreOneAnswer() async throws {
        var bytes: [UInt8] = []
        let one = Array(Self.frame(.content, "x").utf8)
        bytes.reserveCapacity(one.count * 1_000_000 + 1000)
        for _ in 0..<1_000_000 { bytes += one }
        bytes += Array((Self.frame(.completed, "done") + "event: done\ndata: {}\n\n").utf8)
        let t = ScriptedTransport()
        t.on("POST", "/v1/chat", .sse(bytes: bytes, chunkSize: 65_536))   // as network reads coalesce them
        let before = Self.residentMB()
        var count = 0
        for try await event in try makeClient(t).chatStream(ChatRequest("hi", sessionID: "sess_h", requestID: "req_h")) {
            if case .delta(let d) = event { count += d.text.count }
        }
        #expect(count == 1_000_000)
        if !Self.underAddressSanitizer { #expect(Self.residentMB() - before < 100, "grew \(Self.residentMB() - before) MB") }
    }

    @Test func invalidUTF8BecomesReplacementCharacters() async {
        let t = ScriptedTransport()
        var bytes = Array(#"data: {"token":{"type":"content","content":"bad "#.utf8)
        bytes += [0xFF, 0xFE, 0xC3]
        bytes += Array(#" end","request_id":"req_h","session_id":"sess_h"}}"#.utf8) + [10, 10]
        bytes += Array((Self.frame(.completed, "ok") + "event: done\ndata: {}\n\n").utf8)
        t.on("POST", "/v1/chat", .sse(bytes: bytes, chunkSize: 7))
        var text = ""
        await #expect(throws: Never.self) {
            for try await event in try makeClient(t).chatStream(ChatRequest("hi", sessionID: "sess_h", requestID: "req_h")) {
                if case .delta(let d) = event { text += d.text }
            }
        }
        #expect(text.hasPrefix("bad ") && text.hasSuffix(" end") && text.contains("\u{FFFD}"))
    }

    @Test func jsonNestedThousandsDeepIsRefusedNotACrash() async {
        let deep = "data: {\"token\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}\n\n"
        let (events, error) = await Self.run([deep, Self.frame(.completed, "still fine"), "event: done\ndata: {}\n\n"])
        // the frame is refused as malformed, with a clear error, and nothing of it is shown
        let refused = try? #require(error as? MuxiError)
        #expect(refused?.kind == .stream, "\(String(describing: error))")
        #expect(!events.contains { if case .delta = $0 { return true }; return false })
        #expect(throws: (any Error).self) { _ = try JSONValue(parsing: String(repeating: "{\"a\":", count: 50_000) + "1" + String(repeating: "}", count: 50_000)) }
    }

    static let attacks = Hostile.attacks


    @Test func escapeSequencesInAnAnswerAreDrawnAsSymbols() {
        var s = AppState(formation: "f", user: "u")
        _ = s.apply(.resize(width: 120, height: 30))
        _ = s.apply(.key(.paste("hi")))
        _ = s.apply(.key(.enter))
        _ = s.apply(.completed(turn: 1, text: "answer: " + Self.attacks.joined(separator: " | "), failed: false))
        _ = s.apply(.memoriesLoaded([MemoryItem(id: "m", type: "\u{1B}[31mred", detail: "\u{1B}]0;t\u{07}")]))
        _ = s.apply(.sessionsLoaded([SessionItem(id: "s", title: "\u{1B}[2Jtitle", lastActive: nil, onServer: true)]))
        let screen = ChatLayout.render(s)
        for cell in screen.cells {
            for scalar in cell.text.unicodeScalars {
                let v = scalar.value
                let control = v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
                #expect(!control, "U+\(String(v, radix: 16)) reached a cell")
            }
        }
        let text = screen.lines().joined()
        #expect(text.contains("␛[2J") && text.contains("␛]0;pwned title␇") && text.contains("␛]52;c;cHduZWQ=␇"))
    }
}
