import ArgumentParser
import Foundation
import LocalStore
import MuxiClient
import TerminalUI

/// `muxi-chat ask`: one message, the answer streamed to stdout.
struct Ask: FormationCommand {
    static let configuration = CommandConfiguration(commandName: "ask",
        abstract: "Send one message and stream the answer to stdout.",
        discussion: """
            The message is the arguments, or stdin when there are none. Progress (thinking, \
            tools) goes to stderr when stderr is a terminal. The session is recorded locally, so \
            --continue and the full-screen app find it.

            --json prints one JSON object per event (NDJSON): {"type":"progress","kind",...,"text"}, \
            {"type":"delta","text"}, {"type":"completed","text","status","agent","recovered","clarification"}, \
            {"type":"widgets","widgets"}, {"type":"failed","text"}, {"type":"done"}; every object \
            also has "request_id" and "session_id". A completed answer's "artifacts" lists the files \
            the agent made, each as `artifacts list --json` shows one, with "path" where it was saved.

            --no-stream waits for the whole answer (one request with "stream": false) and shows it as \
            a stream's last event. --file attaches a file (repeatable; checked before anything is sent: missing, a folder, \
            empty or over 50 MB is an error naming it). --voice sends an audio file as the message \
            (the formation transcribes it). The answer's artifacts are saved under \
            $XDG_DATA_HOME/muxi-chat/artifacts/<session>/ (or --out), their paths printed on stderr.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The message (read from stdin when absent).")
    var message: [String] = []

    @Option(name: .long, help: "Continue this session.")
    var session: String?

    @Flag(name: .customLong("continue"), help: "Continue the last session used with this formation and user.")
    var continueLast = false

    @Option(name: .long, help: "Ask this agent instead of letting the formation choose.")
    var agent: String?

    @Flag(name: .long, help: "Print one JSON object per event.")
    var json = false

    @Option(name: .long, help: "Attach this file (repeatable).")
    var file: [String] = []

    @Option(name: .long, help: "Send this audio file as the message (a voice note).")
    var voice: String?

    @Option(name: .long, help: "Save the answer's artifacts in this folder.")
    var out: String?

    @Flag(name: .customLong("no-stream"), help: "Wait for the whole answer (one request, \"stream\": false) instead of streaming it.")
    var noStream = false

    func validate() throws {
        if session != nil && continueLast { throw ValidationError("give --session or --continue, not both") }
        if voice != nil && !(message.isEmpty && file.isEmpty) {
            throw ValidationError("a voice note is the whole message: give --voice alone, without text or --file")
        }
    }

    func run(client: FormationClient, output: Output) async throws {
        let attachments = try file.map { path throws(MuxiError) in try Attachment(path: path) }
        let voiceNote = try voice.map { path throws(MuxiError) in try Attachment(path: path) }
        let text = try voiceNote.map { "(voice note \($0.filename))" } ?? readMessage()
        let formation = client.configuration.baseURL
        let user = client.configuration.userID ?? "0"
        let store = connection.openStore(output)
        var sessionID = session
        if continueLast {
            guard let last = try store?.lastSession(formation: formation, user: user) else {
                throw CLIError.notFound("no earlier session with \(formation) as user \(user)", hint: "start one: muxi-chat ask MESSAGE")
            }
            sessionID = last.key.id
        }
        if noStream {
            // the ids are made here: a non-streaming answer may come back without them
            let session = sessionID ?? "sess_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(21).lowercased()
            let reply: ChatReply
            if let voiceNote {
                reply = try await client.audioChat([voiceNote], sessionID: session, agentID: agent)
            } else {
                var request = ChatRequest(text, sessionID: session, files: attachments)
                request.agentID = agent
                reply = try await client.chat(request)
            }
            let completion = ChatCompletion(text: reply.text, artifacts: reply.artifacts, requestID: reply.requestID ?? "",
                                            sessionID: reply.sessionID ?? session, metadata: reply.raw)
            let (events, continuation) = AsyncThrowingStream<ChatEvent, any Error>.makeStream()
            continuation.yield(.completed(completion))
            continuation.yield(.done)
            continuation.finish()
            return try await show(events, text: text, files: voiceNote.map { [$0] } ?? attachments, requestID: completion.requestID,
                                  sessionID: completion.sessionID, store: store, formation: formation, user: user, output: output)
        }
        let stream: ChatStream
        if let voiceNote {
            stream = try client.audioChatStream([voiceNote], sessionID: sessionID, agentID: agent)
        } else {
            var request = ChatRequest(text, sessionID: sessionID, files: attachments)
            request.agentID = agent
            stream = client.chatStream(request)
        }
        try await show(stream, text: text, files: voiceNote.map { [$0] } ?? attachments, requestID: stream.requestID,
                       sessionID: stream.sessionID, store: store, formation: formation, user: user, output: output)
    }

    /// Shows a turn's events (a stream's, or the one answer of `--no-stream`), keeping the
    /// session, the question and the answer in the local store as they come.
    private func show<Events: AsyncSequence>(_ events: Events, text: String, files: [Attachment], requestID: String, sessionID: String,
                                             store: LocalStore?, formation: String, user: String, output: Output) async throws
        where Events.Element == ChatEvent {
        let key = StoredSession.Key(formation: formation, user: user, id: sessionID)
        var kept = false
        var printer = AnswerPrinter(output: output, json: json, requestID: requestID, sessionID: sessionID)
        for try await event in events {
            if !kept {   // once the server answers: a turn it never took leaves no session behind
                kept = true
                do {
                    try store?.recordSession(key, title: text)
                    try store?.cacheMessage(key, role: .user, text: text,
                                            files: files.map { CachedFile(name: $0.filename, type: $0.contentType, size: $0.data.count) })
                } catch {
                    output.error("warning: \(error) (the session is not in the local list)")
                }
            }
            if case .completed(let c) = event {   // kept before it is shown: what was shown is never lost
                let folder = out ?? LocalStore.artifactsFolder(session: c.sessionID.isEmpty ? sessionID : c.sessionID)
                printer.artifacts = c.artifacts.map { ArtifactFolder.save($0, in: folder, output: output) }
                let kept = printer.artifacts.map {
                    CachedFile(name: $0.artifact.filename ?? $0.artifact.id ?? "artifact", type: $0.artifact.contentType ?? $0.artifact.type,
                               size: $0.artifact.sizeBytes, path: $0.path)
                }
                do { try store?.cacheMessage(key, role: .assistant, text: c.text, files: kept) } catch { output.error("warning: \(error)") }
            }
            printer.show(event)
        }
        printer.finish()
        if printer.failed {
            throw MuxiError(kind: .server, code: "TURN_FAILED", message: "the formation reported an error for this turn (request \(requestID))")
        }
    }

    private func readMessage() throws -> String {
        if !message.isEmpty {
            let text = message.joined(separator: " ")
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw CLIError.usage("the message is empty", hint: "muxi-chat ask \"your question\"")
            }
            return text
        }
        return try Stdin.text(what: "message", hint: "muxi-chat ask \"your question\", or pipe it: echo question | muxi-chat ask")
    }
}

/// Shows a turn's events: the answer on stdout, progress on stderr (terminals only).
struct AnswerPrinter {
    let output: Output
    let json: Bool
    let requestID: String
    let sessionID: String
    private var shown = ""
    /// The streamed text not yet written (stdout is not a terminal: only the final answer is).
    private var pending = ""
    private var statusShown = false
    private(set) var failed = false
    /// The completed answer's artifacts, with where each was saved (set before it is shown).
    var artifacts: [(artifact: Artifact, path: String?)] = []

    init(output: Output, json: Bool, requestID: String, sessionID: String) {
        self.output = output
        self.json = json
        self.requestID = requestID
        self.sessionID = sessionID
    }

    mutating func show(_ event: ChatEvent) {
        if json { return emitJSON(event) }
        switch event {
        case .progress(let token):
            guard output.stderrIsTerminal else { return }
            let line = DisplayWidth.truncate(ControlCharacters.oneLine(token.text), to: 76)
            Output.write("\r\u{1B}[2K… \(line)", to: 2)
            statusShown = true
        case .delta(let token):
            clearStatus()
            guard output.stdoutIsTerminal else {   // a pipe or a file gets exactly one answer: the final one
                pending += token.text
                return
            }
            output.write(output.safe(token.text))
            shown += token.text
        case .completed(let done):
            clearStatus()
            failed = done.isError
            pending = ""
            if shown.isEmpty {
                output.write(output.safe(done.text))
                shown = done.text
            } else if done.text.hasPrefix(shown) {
                output.write(output.safe(String(done.text.dropFirst(shown.count))))
                shown = done.text
            } else if done.text != shown {
                output.error("\n(the answer was revised; the final answer follows)")
                output.write("\n" + output.safe(done.text))
                shown = done.text
            }
        case .widgets(let widgets):
            clearStatus()
            for widget in widgets {
                let text = Self.describe(widget)
                if !text.isEmpty { output.error(text) }   // unknown kinds have nothing to show
            }
        case .failed(let token):
            clearStatus()
            failed = true
            output.error("error: \(ControlCharacters.oneLine(token.text))")
        case .heartbeat, .done, .other:
            break
        }
    }

    mutating func finish() {
        clearStatus()
        if !pending.isEmpty {   // no final answer came: what streamed is the answer
            output.write(output.safe(pending))
            shown = pending
            pending = ""
        }
        if !json, !shown.isEmpty, !shown.hasSuffix("\n") { output.write("\n") }
    }

    private mutating func clearStatus() {
        if statusShown { Output.write("\r\u{1B}[2K", to: 2) }
        statusShown = false
    }

    static func describe(_ widget: UIWidget) -> String {
        switch widget {
        case .options(let o):
            let choices = o.options.enumerated().map { "  \($0.offset + 1). \(ControlCharacters.oneLine($0.element.label))" }
            return ([ControlCharacters.oneLine(o.prompt)] + choices).joined(separator: "\n")
        case .actionLink(let label, let url, _):
            return "\(ControlCharacters.oneLine(label)): \(ControlCharacters.oneLine(url))"
        case .unknown:
            return ""
        }
    }

    private mutating func emitJSON(_ event: ChatEvent) {
        var object: [String: JSONValue] = ["request_id": .string(requestID), "session_id": .string(sessionID)]
        switch event {
        case .heartbeat, .other: return
        case .progress(let t):
            object["type"] = "progress"
            object["kind"] = .string(t.kind.rawValue)
            object["stage"] = Format.string(t.stage)
            object["text"] = .string(t.text)
        case .delta(let t):
            object["type"] = "delta"
            object["text"] = .string(t.text)
        case .completed(let c):
            failed = c.isError
            object["type"] = "completed"
            object["text"] = .string(c.text)
            object["status"] = Format.string(c.status?.rawValue)
            object["agent"] = Format.string(c.agentUsed)
            object["recovered"] = .bool(c.recovered)
            object["clarification"] = .bool(c.isClarification)
            object["artifacts"] = .array(artifacts.map { a, path in
                guard case .object(var fields) = Artifacts.json(a) else { return .null }
                fields["path"] = Format.string(path)
                return .object(fields)
            })
        case .widgets(let w):
            object["type"] = "widgets"
            object["widgets"] = .array(w.map(Self.widgetJSON))
        case .failed(let t):
            failed = true
            object["type"] = "failed"
            object["text"] = .string(t.text)
        case .done:
            object["type"] = "done"
        }
        output.line(JSONWriter.string(.object(object)))
    }

    static func widgetJSON(_ widget: UIWidget) -> JSONValue {
        switch widget {
        case .options(let o):
            return ["type": "options", "id": .string(o.id), "prompt": .string(o.prompt),
                    "options": .array(o.options.map { ["value": $0.value, "label": .string($0.label)] })]
        case .actionLink(let label, let url, let hint):
            return ["type": "action_link", "label": .string(label), "url": .string(url), "hint": Format.string(hint)]
        case .unknown(let raw):
            return raw
        }
    }
}
