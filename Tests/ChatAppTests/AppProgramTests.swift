import Testing
import Foundation
import ChatApp
import LocalStore
import MuxiClient
import MuxiClientTesting
import TerminalUI
import TerminalTesting
import TestSupport

/// The real event loop, with a scripted server and a headless terminal.
@Suite(.serialized, .timeLimit(.minutes(1))) @MainActor struct AppProgramTests {
    @Test func aTurnStreamsOntoTheScreenAndTheAppQuits() async throws {
        let t = ScriptedTransport()
        t.on("GET", "/v1/health", .json(200, #"{"status":"healthy"}"#))
        t.on("GET", "/v1/sessions", .json(200, envelope(#"{"sessions":[],"count":0}"#)))
        t.on("GET", "/v1/memories", .json(200, envelope(#"{"memories":[{"id":"m1","content":"likes tea","metadata":{"type":"preference"}}],"count":1}"#)))
        let token = { (kind: ChatToken.Kind, text: String) in
            ChatToken(kind: kind, text: text, requestID: "req_1", sessionID: "sess_1", userID: "alice").sseFrame
        }
        t.on("POST", "/v1/chat", .sse([token(.progress, "Thinking..."), token(.content, "**Hello** from"), token(.content, " the stream"),
                                       token(.completed, "**Hello** from the stream"), "event: done\ndata: {}\n\n"], pause: .milliseconds(30)))
        let terminal = HeadlessTerminal()
        let client = try makeClient(t)
        let runner = AppRunner(state: AppState(formation: "test", user: "alice"), terminal: terminal,
                               services: AppServices(client: client, store: nil))
        let run = Task { await runner.run() }
        #expect(await terminal.waitFor("● connected"))
        #expect(await terminal.waitFor("likes tea"))
        terminal.type("hi there".map(Key.character) + [.enter])
        #expect(await terminal.waitFor("Hello from the stream"))
        let body = try #require(t.requests(to: "/v1/chat").first?.bodyJSON)
        #expect(body["message"] == "hi there" && body["stream"] == true)
        let session = try #require(body["session_id"]?.stringValue)
        #expect(await terminal.waitFor(session))   // the transcript's title names the session the client made
        terminal.type([.ctrl("d")])
        #expect(await run.value == 0)
        #expect(terminal.restored)
    }

    @Test func aClarificationIsAnsweredFromThePicker() async throws {
        let t = ScriptedTransport()
        t.on("GET", "/v1/health", .json(200, #"{"status":"healthy"}"#))
        let token = { (kind: ChatToken.Kind, text: String, extra: JSONValue) in
            ChatToken(kind: kind, text: text, requestID: "req_1", sessionID: "sess_1", userID: "alice", metadata: extra).sseFrame
        }
        let ui = #"event: ui"# + "\n" + #"data: {"ui":[{"type":"options","id":"ui_7","prompt":"Which Paris?","options":[{"value":"fr","label":"Paris, France"},{"value":"tx","label":"Paris, Texas"}]}]}"# + "\n\n"
        t.on("POST", "/v1/chat",
             .sse([token(.completed, "Which Paris do you mean?", ["status": "awaiting_clarification", "clarification": true]), ui, "event: done\ndata: {}\n\n"]),
             .sse([token(.completed, "Sunny in Paris, Texas.", [:]), "event: done\ndata: {}\n\n"]))
        let terminal = HeadlessTerminal()
        let runner = AppRunner(state: AppState(formation: "test", user: "alice"), terminal: terminal,
                               services: AppServices(client: try makeClient(t), store: nil))
        let run = Task { await runner.run() }
        terminal.type("weather in Paris".map(Key.character) + [.enter])
        #expect(await terminal.waitFor("› 1. Paris, France"))
        terminal.type([.down, .enter])
        #expect(await terminal.waitFor("Sunny in Paris, Texas."))
        let second = try #require(t.requests(to: "/v1/chat").last?.bodyJSON)
        #expect(second["message"] == "Paris, Texas" && second["ui_response"] == ["id": "ui_7", "value": "tx"])
        #expect(second["session_id"] == t.requests(to: "/v1/chat").first?.bodyJSON?["session_id"])
        terminal.type([.ctrl("d")])
        #expect(await run.value == 0)
    }

    @Test func aSessionTheServerLostIsShownFromTheCacheAndRestored() async throws {
        let store = try LocalStore.open(at: TempStore.path())
        let key = StoredSession.Key(formation: "http://formation.test/v1", user: "alice", id: "sess_old")
        try store.recordSession(key, title: "an old talk")
        try store.cacheMessage(key, role: .user, text: "an old question")
        try store.cacheMessage(key, role: .assistant, text: "an old answer")
        let t = ScriptedTransport()
        t.on("GET", "/v1/health", .json(200, #"{"status":"healthy"}"#))
        t.on("GET", "/v1/sessions/sess_old/messages", .json(200, envelope(#"{"session_id":"sess_old","messages":[],"count":0}"#)))
        t.on("POST", "/v1/sessions/sess_old/restore", .json(200, envelope(#"{"session_id":"sess_old","messages_loaded":2,"messages_dropped":0}"#)))
        let terminal = HeadlessTerminal()
        let runner = AppRunner(state: AppState(formation: "test", user: "alice", sessionID: "sess_old"), terminal: terminal,
                               services: AppServices(client: try makeClient(t), store: store))
        let run = Task { await runner.run() }
        #expect(await terminal.waitFor("an old answer"))
        #expect(await terminal.waitFor("Ctrl+R puts it back"))
        terminal.type([.ctrl("r")])
        #expect(await terminal.waitFor("restored 2 messages"))
        let body = try #require(t.requests(to: "/v1/sessions/sess_old/restore").first?.bodyJSON)
        #expect(body["messages"]?.arrayValue?.compactMap { $0["content"]?.stringValue } == ["an old question", "an old answer"])
        terminal.type([.ctrl("d")])
        #expect(await run.value == 0)
    }

    @Test func aDeadServerIsOneLineAndTheTextIsKept() async throws {
        let t = ScriptedTransport()
        let refused = MuxiError(kind: .connection, code: "CONNECTION_ERROR", message: "cannot reach 127.0.0.1:9: connection refused")
        for path in ["/v1/health", "/v1/sessions", "/v1/memories", "/v1/chat"] {
            t.on(path == "/v1/chat" ? "POST" : "GET", path, .failure(refused))
        }
        let terminal = HeadlessTerminal()
        let store = try LocalStore.open(at: TempStore.path())
        let runner = AppRunner(state: AppState(formation: "test", user: "alice"), terminal: terminal,
                               services: AppServices(client: try makeClient(t, maxRetries: 0), store: store))
        let run = Task { await runner.run() }
        #expect(await terminal.waitFor("offline"))
        terminal.type("my question".map(Key.character) + [.enter] + "draft".map(Key.character))
        #expect(await terminal.waitFor("Not sent: Up recalls it"))
        #expect(terminal.text.contains("│ draft "))   // what was typed since stays in the box
        terminal.type([.up])                           // the sent message is in the history
        #expect(await terminal.waitFor("│ my question "))
        terminal.type([.down])                         // and Down gives the draft back
        #expect(await terminal.waitFor("│ draft "))
        terminal.type([.ctrl("c"), .ctrl("c"), .ctrl("c")])
        #expect(await run.value == 0)
        // a turn the server never took leaves no session in the local list
        #expect(try store.sessions(formation: "http://formation.test/v1", user: "alice").isEmpty)
        #expect(try store.history() == ["my question"])
    }

    @Test func aSilentServerEndsEveryLoadWithAnError() async throws {
        let t = ScriptedTransport()
        for path in ["/v1/health", "/v1/sessions", "/v1/memories"] { t.on("GET", path, .hang) }
        let terminal = HeadlessTerminal()
        terminal.width = 130
        let client = try makeClient(t, maxRetries: 2) { $0.timeout = .milliseconds(300) }
        let runner = AppRunner(state: AppState(formation: "test", user: "alice"), terminal: terminal,
                               services: AppServices(client: client, store: nil))
        let started = ContinuousClock.now
        let run = Task { await runner.run() }
        // every load ends, the memories pane's too, with its line
        #expect(await terminal.waitUntil { !$0.contains("loading…") && $0.contains("⚠ the server stopped answering") })
        #expect(ContinuousClock.now - started < .seconds(3))    // the time-out bounds the call, retries included
        terminal.type([.ctrl("d")])
        #expect(await run.value == 0)
    }

    @Test func theEditorGetsAFileEndingInANewline() async throws {
        let t = ScriptedTransport()
        t.on("GET", "/v1/health", .json(200, #"{"status":"healthy"}"#))
        let terminal = HeadlessTerminal()
        let runner = AppRunner(state: AppState(formation: "test", user: "alice"), terminal: terminal,
                               services: AppServices(client: try makeClient(t), store: nil))
        let run = Task { await runner.run() }
        setenv("VISUAL", "echo 'appended by a script' >>", 1)
        defer { unsetenv("VISUAL") }
        terminal.type("draft before".map(Key.character) + [.ctrl("g")])
        #expect(await terminal.waitFor("│ appended by a script "))   // a line of its own, not joined to the draft
        #expect(terminal.text.contains("│ draft before "))
        terminal.type([.ctrl("c"), .ctrl("c"), .ctrl("c")])
        #expect(await run.value == 0)
    }

    @Test func withoutAClipboardACopyIsSavedToAFileAndTheEditorEditsTheMessage() async throws {
        let t = ScriptedTransport()
        t.on("GET", "/v1/health", .json(200, #"{"status":"healthy"}"#))
        let answer = "Run:\n\n```sh\nmake demo\n```"
        t.on("POST", "/v1/chat", .sse([ChatToken(kind: .completed, text: answer, requestID: "req_1", sessionID: "sess_1", userID: "alice").sseFrame,
                                       "event: done\ndata: {}\n\n"]))
        let folder = NSTemporaryDirectory() + "muxi-copy-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let terminal = HeadlessTerminal()
        let runner = AppRunner(state: AppState(formation: "test", user: "alice"), terminal: terminal,
                               services: AppServices(client: try makeClient(t), store: nil, stateDirectory: folder))
        let run = Task { await runner.run() }
        terminal.type("how?".map(Key.character) + [.enter])
        #expect(await terminal.waitFor("make demo"))
        terminal.type([.alt("o")])   // the code block, raw
        #expect(await terminal.waitFor("cannot set the clipboard: saved to"))
        #expect(try String(contentsOfFile: folder + "/copied.txt", encoding: .utf8) == "make demo")
        setenv("VISUAL", "sed -i s/rough/polished/", 1)
        defer { unsetenv("VISUAL") }
        terminal.type("a rough draft".map(Key.character) + [.ctrl("g")])
        #expect(await terminal.waitFor("a polished draft"))
        terminal.type([.ctrl("c"), .ctrl("c"), .ctrl("c")])
        #expect(await run.value == 0)
    }

    @Test func anAsyncTriggerIsAcceptedThenItsAnswerShowsWhenItArrives() async throws {
        let t = ScriptedTransport()
        t.on("GET", "/v1/health", .json(200, #"{"status":"healthy"}"#))
        t.on("GET", "/v1/sessions", .json(200, envelope(#"{"sessions":[],"count":0}"#)))
        t.on("GET", "/v1/memories", .json(200, envelope(#"{"memories":[],"count":0}"#)))
        t.on("POST", "/v1/triggers/echo-event", .json(202, envelope(#"{"request_id":"req_T","status":"processing"}"#)))
        t.on("GET", "/v1/requests/req_T", .json(404, #"{"error":{"code":"NOT_FOUND","message":"no such request"}}"#))
        let terminal = HeadlessTerminal()
        let runner = AppRunner(state: AppState(formation: "test", user: "alice"), terminal: terminal,
                               services: AppServices(client: try makeClient(t), store: nil, followInterval: .milliseconds(20)))
        let run = Task { await runner.run() }
        t.on("GET", "/v1/triggers", .json(200, envelope(#"{"triggers":["echo-event"]}"#)))
        t.on("GET", "/v1/triggers/echo-event", .json(200, envelope(#"{"name":"echo-event","content":"Echo {{ event }}"}"#)))
        terminal.type("/triggers".map(Key.character) + [.enter])
        #expect(await terminal.waitFor("echo-event"))
        terminal.type([.character("f")])
        #expect(await terminal.waitFor("Fire echo-event"))
        terminal.type([.tab, .enter])   // async: just start it
        #expect(await terminal.waitFor("echo-event accepted; request req_T runs in the background"))
        #expect(!terminal.text.contains("Assistant"))
        // registered a moment later, then done: its answer is shown
        t.on("GET", "/v1/requests/req_T", .json(200, envelope(#"{"request_id":"req_T","status":"completed","result":{"content":"the event was echoed"}}"#)))
        #expect(await terminal.waitFor("the event was echoed"))
        #expect(await terminal.waitFor("echo-event answered (also added to the transcript)"))
        terminal.type([.escape, .escape, .ctrl("d")])   // the template, the panel, then quit
        #expect(await run.value == 0)
    }
}
