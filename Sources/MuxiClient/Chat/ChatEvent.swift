/// One event of a streaming chat turn, typed from the runtime's SSE frames.
///
/// ```swift
/// for try await event in client.chatStream(ChatRequest("Hello!")) {
///     switch event {
///     case .delta(let d): print(d.text, terminator: "")
///     case .progress(let p): status(p.text)
///     case .completed(let c): finish(c.text)
///     default: break
///     }
/// }
/// ```
public enum ChatEvent: Sendable, Hashable {
    /// A keepalive comment: the server is alive (sent every second of silence).
    case heartbeat
    /// Work in progress: `progress`, `thinking`, `planning`, `tool_call` or `replanning`
    /// (see ``ChatToken/kind``). The runtime does not keep these in order.
    case progress(ChatToken)
    /// A piece of the answer (`content` tokens). Deltas arrive in order; the deltas that came
    /// in one network read are delivered as one event whose text is theirs joined, so a
    /// consumer redraws once per read, not once per token.
    case delta(ChatToken)
    /// The turn's final answer. Trust its text over the deltas (see
    /// ``ChatCompletion/streamDiscontinuity``).
    case completed(ChatCompletion)
    /// A runtime `error` token: a user-facing failure inside the turn.
    case failed(ChatToken)
    /// UI widgets sent after the answer (`event: ui`): options to pick, links to open.
    case widgets([UIWidget])
    /// The stream ended normally (`event: done`).
    case done
    /// A token of a type this library does not know yet.
    case other(ChatToken)
}

/// One runtime streaming event (`{"token": {…}}`).
///
/// ```swift
/// if case .progress(let token) = event, token.kind == .toolCall { print("tool:", token.text) }
/// ```
public struct ChatToken: Sendable, Hashable {
    /// A token's `type`.
    public struct Kind: WireValue {
        /// The value as written on the wire.
        public let rawValue: String
        /// A value as written on the wire (values this library does not know are kept).
        public init(rawValue: String) { self.rawValue = rawValue }
        /// `progress`.
        public static let progress = Kind(rawValue: "progress")
        /// `thinking`.
        public static let thinking = Kind(rawValue: "thinking")
        /// `planning`.
        public static let planning = Kind(rawValue: "planning")
        /// `tool_call`.
        public static let toolCall = Kind(rawValue: "tool_call")
        /// `replanning`.
        public static let replanning = Kind(rawValue: "replanning")
        /// `content`.
        public static let content = Kind(rawValue: "content")
        /// `completed`.
        public static let completed = Kind(rawValue: "completed")
        /// `error`.
        public static let error = Kind(rawValue: "error")
    }

    /// The token's type.
    public var kind: Kind
    /// The human-readable text: a delta, a status line, or the whole answer.
    public var text: String
    /// The runtime's stage (`init`, `agent_selection`, `tool_execution`…).
    public var stage: String?
    /// The request (turn) id.
    public var requestID: String
    /// The session id.
    public var sessionID: String
    /// The user it belongs to.
    public var userID: String
    /// Unix time in seconds.
    public var timestamp: Double?
    /// Every field of the token. Empty for content deltas, which are kept lean.
    public var metadata: JSONValue

    /// A token.
    ///
    /// ```swift
    /// let t = ChatToken(kind: .content, text: "Hi", requestID: "req_1", sessionID: "sess_1")
    /// ```
    public init(kind: Kind, text: String, stage: String? = nil, requestID: String = "", sessionID: String = "",
                userID: String = "", timestamp: Double? = nil, metadata: JSONValue = .null) {
        self.kind = kind
        self.text = text
        self.stage = stage
        self.requestID = requestID
        self.sessionID = sessionID
        self.userID = userID
        self.timestamp = timestamp
        self.metadata = metadata
    }
}

/// The end of a turn: the full answer and how it went.
///
/// ```swift
/// if case .completed(let c) = event {
///     if c.isClarification { askUser(c.text) } else { show(c.text) }
/// }
/// ```
public struct ChatCompletion: Sendable, Hashable {
    /// How the turn went: `success`, `error`, `awaiting_clarification`, `escalated`, or
    /// another the runtime adds.
    public struct Status: WireValue {
        /// The value as written on the wire.
        public let rawValue: String
        /// A value as written on the wire (values this library does not know are kept).
        public init(rawValue: String) { self.rawValue = rawValue }
        /// `success`.
        public static let success = Status(rawValue: "success")
        /// `error`: the turn failed (the text says why).
        public static let error = Status(rawValue: "error")
        /// `awaiting_clarification`: the agent asks a question.
        public static let awaitingClarification = Status(rawValue: "awaiting_clarification")
        /// `escalated`.
        public static let escalated = Status(rawValue: "escalated")
    }

    /// The complete answer (the text to keep).
    public var text: String
    /// `success`, `error`, `awaiting_clarification`, `escalated`… (nil on the workflow path).
    public var status: Status?
    /// The agent that answered.
    public var agentUsed: String?
    /// Files the agent produced.
    public var artifacts: [Artifact]
    /// When true, the deltas shown so far are not a prefix of the answer: replace them.
    public var streamDiscontinuity: Bool
    /// Whether the agent asks the user a question (answer it in the same session).
    public var isClarification: Bool
    /// How long the turn took, in milliseconds.
    public var processingTimeMs: Double?
    /// The request (turn) id.
    public var requestID: String
    /// The session id.
    public var sessionID: String
    /// True when the stream gave no `completed` event and the answer was fetched afterwards
    /// from the request status or the session's messages.
    public var recovered: Bool
    /// The completed token as received (`.null` when recovered).
    public var metadata: JSONValue

    /// Whether the runtime reports the turn as failed.
    public var isError: Bool { status == .error }

    /// A completion.
    ///
    /// ```swift
    /// let c = ChatCompletion(text: "Done.", requestID: "req_1", sessionID: "sess_1")
    /// ```
    public init(text: String, status: Status? = .success, agentUsed: String? = nil, artifacts: [Artifact] = [],
                streamDiscontinuity: Bool = false, isClarification: Bool = false, processingTimeMs: Double? = nil,
                requestID: String, sessionID: String, recovered: Bool = false, metadata: JSONValue = .null) {
        self.text = text
        self.status = status
        self.agentUsed = agentUsed
        self.artifacts = artifacts
        self.streamDiscontinuity = streamDiscontinuity
        self.isClarification = isClarification
        self.processingTimeMs = processingTimeMs
        self.requestID = requestID
        self.sessionID = sessionID
        self.recovered = recovered
        self.metadata = metadata
    }

    init(token: ChatToken) {
        let m = token.metadata
        let status = m.string("status").map(Status.init(rawValue:))
        self.init(
            text: token.text, status: status, agentUsed: m.string("agent_used"),
            artifacts: (m["artifacts"]?.arrayValue ?? []).compactMap { try? Artifact(json: $0) },
            streamDiscontinuity: m.bool("stream_discontinuity") ?? false,
            isClarification: m.bool("clarification") ?? (status == .awaitingClarification),
            processingTimeMs: m.double("processing_time_ms"),
            requestID: token.requestID, sessionID: token.sessionID, metadata: m)
    }
}

/// A UI widget of a turn (`event: ui`).
///
/// ```swift
/// if case .options(let o) = widget {
///     let reply = ChatRequest(o.options[0].label, sessionID: sid, uiResponse: o.response(choosing: o.options[0]))
/// }
/// ```
public enum UIWidget: Sendable, Hashable {
    /// A question with choices.
    case options(OptionsWidget)
    /// A link to open (`http` or `https` only).
    case actionLink(label: String, url: String, hint: String?)
    /// A widget of another kind (e.g. `mcp_resource`), kept as received.
    case unknown(JSONValue)

    /// Reads a widget; never fails (unusable widgets become ``unknown(_:)``).
    ///
    /// ```swift
    /// let w = UIWidget(json: ["type": "action_link", "label": "Docs", "url": "https://muxi.org"])
    /// ```
    public init(json: JSONValue) {
        switch json.string("type") {
        case "options":
            if let id = json.string("id") {
                let options = (json["options"]?.arrayValue ?? []).compactMap { o -> OptionsWidget.Option? in
                    guard let value = o["value"] else { return nil }
                    return OptionsWidget.Option(value: value, label: o.string("label") ?? value.looseString ?? "")
                }
                self = .options(OptionsWidget(id: id, prompt: json.string("prompt") ?? "", options: options,
                                              allowsMultiple: json.bool("multi") ?? false))
            } else {
                self = .unknown(json)
            }
        case "action_link":
            if let url = json.string("url"), url.lowercased().hasPrefix("http://") || url.lowercased().hasPrefix("https://") {
                self = .actionLink(label: json.string("label") ?? url, url: url, hint: json.string("hint"))
            } else {
                self = .unknown(json)
            }
        default:
            self = .unknown(json)
        }
    }
}

/// A question with choices; answer it with ``response(choosing:)`` in the same session.
///
/// ```swift
/// let answer = ChatRequest(choice.label, sessionID: sid, uiResponse: widget.response(choosing: choice))
/// ```
public struct OptionsWidget: Sendable, Hashable {
    /// One choice.
    public struct Option: Sendable, Hashable {
        /// The value.
        public var value: JSONValue
        /// The text to show.
        public var label: String
    }

    /// The identifier.
    public var id: String
    /// The question.
    public var prompt: String
    /// The choices.
    public var options: [Option]
    /// Whether several choices may be picked.
    public var allowsMultiple: Bool

    /// The `ui_response` that picks `option`.
    public func response(choosing option: Option) -> UIResponse {
        UIResponse(id: id, value: option.value)
    }
}

/// The answer to a widget, sent as `ui_response` with the next turn.
///
/// ```swift
/// let r = UIResponse(id: "ui_abc", value: "paris-fr")
/// ```
public struct UIResponse: Sendable, Hashable {
    /// The identifier.
    public var id: String
    /// The value.
    public var value: JSONValue
    /// An answer to widget `id`.
    public init(id: String, value: JSONValue) {
        self.id = id
        self.value = value
    }
}
