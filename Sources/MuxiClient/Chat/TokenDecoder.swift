/// Turns SSE frames of a chat stream into ``ChatEvent``s.
///
/// Content deltas take a fast path: the decoder reads the few keys it needs from the bytes,
/// reuses the strings of ids that repeat in every token, and skips the rest without building
/// it. Other tokens are rare and are parsed completely into ``ChatToken/metadata``.
///
/// ```swift
/// var decoder = TokenDecoder()
/// let event = try decoder.decode(name: nil, data: frameBytes)
/// ```
public struct TokenDecoder: Sendable {
    private var requestID: String?
    private var sessionID: String?
    private var userID: String?
    private var type: String?
    private var stage: String?

    /// A decoder with an empty id cache.
    public init() {}

    /// Decodes one frame; nil for frames that carry nothing for the caller.
    ///
    /// Throws ``MuxiError`` (kind ``MuxiError/Kind/stream``) for an `event: error` frame, a
    /// `{"error": …}` frame, or data that is not valid JSON.
    public mutating func decode(name: String?, data: [UInt8]) throws -> ChatEvent? {
        try data.withUnsafeBufferPointer { try decode(name: name, data: $0) }
    }

    /// Decodes one frame from a borrowed buffer (as ``SSEParser`` hands it out).
    public mutating func decode(name: String?, data: UnsafeBufferPointer<UInt8>) throws -> ChatEvent? {
        switch name {
        case nil, "message"?:
            return try decodeMessage(data)
        case "done"?:
            return .done
        case "ui"?:
            let payload = try parse(data)
            return .widgets((payload["ui"]?.arrayValue ?? []).map(UIWidget.init(json:)))
        case "error"?:
            throw Self.streamError(try? parse(data))
        default:
            return nil
        }
    }

    static func streamError(_ payload: JSONValue?) -> MuxiError {
        let p = payload ?? .null
        let message = p["error"]?.stringValue ?? p["message"]?.stringValue ?? "the server reported an error in the stream"
        let code = p.string("type") ?? p.string("code") ?? "STREAM_ERROR"
        return MuxiError(kind: .stream, code: code, message: message, details: p)
    }

    private func parse(_ data: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        do {
            return try JSONValue.parse(data)
        } catch {
            throw MuxiError(kind: .stream, code: "MALFORMED_FRAME", message: "the server sent a frame that is not JSON (\(error))")
        }
    }

    private mutating func decodeMessage(_ data: UnsafeBufferPointer<UInt8>) throws -> ChatEvent? {
        var scanner = JSONScanner(data)
        // Fast path: {"token":{...}}
        if scanner.take(0x7B), scanner.peek() != nil, scanner.takeKey("token"), scanner.take(0x3A), scanner.peek() == 0x7B {
            let start = scanner.index
            do {
                let event = try readToken(&scanner, start: start)
                if scanner.take(0x7D), scanner.peek() == nil { return event }
            } catch {}
        }
        // General path: any other shape.
        let payload = try parse(data)
        if let token = payload["token"], token.objectValue != nil {
            return try tokenEvent(from: token)
        }
        if payload["finished"]?.boolValue == true { return .done }
        if let error = payload["error"], !error.isNull, error.boolValue != false {
            throw Self.streamError(payload)
        }
        switch payload.string("type") {
        case "stream_open"?: return .heartbeat
        case "stream_completed"?: return .done
        case .some: return try tokenEvent(from: payload)
        case nil: return nil
        }
    }

    /// Reads a token object at the scanner (at `{`), the fast way.
    private mutating func readToken(_ scanner: inout JSONScanner, start: Int) throws -> ChatEvent {
        try scanner.expect(0x7B)
        var kind: String?
        var text = ""
        var stage: String?
        var req = "", sess = "", user = ""
        var timestamp: Double?
        if !scanner.take(0x7D) {
            repeat {
                guard scanner.peek() == 0x22 else { throw scanner.fail("expected a key") }
                if scanner.takeKey("request_id") {
                    try scanner.expect(0x3A)
                    req = try optionalString(&scanner, cache: &requestID) ?? ""
                } else if scanner.takeKey("session_id") {
                    try scanner.expect(0x3A)
                    sess = try optionalString(&scanner, cache: &sessionID) ?? ""
                } else if scanner.takeKey("user_id") {
                    try scanner.expect(0x3A)
                    user = try optionalString(&scanner, cache: &userID) ?? ""
                } else if scanner.takeKey("type") {
                    try scanner.expect(0x3A)
                    kind = try optionalString(&scanner, cache: &type)
                } else if scanner.takeKey("content") {
                    try scanner.expect(0x3A)
                    if scanner.peek() == 0x22 { text = try scanner.readString() } else { try scanner.skipValue() }
                } else if scanner.takeKey("stage") {
                    try scanner.expect(0x3A)
                    stage = try optionalString(&scanner, cache: &self.stage)
                } else if scanner.takeKey("timestamp") {
                    try scanner.expect(0x3A)
                    timestamp = try scanner.readDoubleOrSkip()
                } else {
                    _ = try scanner.readString()
                    try scanner.expect(0x3A)
                    try scanner.skipValue()
                }
            } while scanner.take(0x2C)
            try scanner.expect(0x7D)
        }
        let tokenKind = ChatToken.Kind(rawValue: kind ?? "")
        var token = ChatToken(kind: tokenKind, text: text, stage: stage, requestID: req, sessionID: sess,
                              userID: user, timestamp: timestamp)
        if tokenKind != .content {
            token.metadata = try JSONValue.parse(UnsafeBufferPointer(rebasing: scanner.bytes[start..<scanner.index]))
        }
        return Self.event(for: token)
    }

    private func optionalString(_ scanner: inout JSONScanner, cache: inout String?) throws -> String? {
        if scanner.peek() == 0x22 { return try scanner.readString(reusing: &cache) }
        try scanner.skipValue()
        return nil
    }

    private func tokenEvent(from object: JSONValue) throws -> ChatEvent {
        let token = ChatToken(
            kind: ChatToken.Kind(rawValue: object.string("type") ?? ""),
            text: object["content"]?.stringValue ?? "",
            stage: object.string("stage"),
            requestID: object.string("request_id") ?? "",
            sessionID: object.string("session_id") ?? "",
            userID: object.string("user_id") ?? "",
            timestamp: object.double("timestamp"),
            metadata: object)
        return Self.event(for: token)
    }

    static func event(for token: ChatToken) -> ChatEvent {
        switch token.kind {
        case .content: return .delta(token)
        case .completed: return .completed(ChatCompletion(token: token))
        case .progress, .thinking, .planning, .toolCall, .replanning: return .progress(token)
        case .error: return .failed(token)
        default: return .other(token)
        }
    }
}
