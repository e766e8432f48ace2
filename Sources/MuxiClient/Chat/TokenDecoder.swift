#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
package struct TokenDecoder: Sendable {
    private var requestID: String?
    private var sessionID: String?
    private var userID: String?
    private var type: String?
    private var stage: String?
    /// The raw bytes of the ids above, for the continuation fast path (empty when the value
    /// held escapes and so cannot be compared byte for byte).
    private var rawIDs = RawIDs()

    /// The byte layout of the last content token parsed key by key: literal runs (ids, type,
    /// stage…) around the variable values (the content string, numbers). A following token
    /// with the same literal bytes is read with a few `memcmp`s.
    private var template = Template()

    /// A flat layout, cheap to walk: `steps` are literal lengths (> 0) into `literals`, or
    /// ``contentStep`` / ``numberStep``.
    struct Template: Sendable {
        static let contentStep = -1
        static let numberStep = -2
        var literals: [UInt8] = []
        var steps: [Int] = []
        var isEmpty: Bool { steps.isEmpty }

        mutating func literal(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard !bytes.isEmpty else { return }
            literals += bytes
            steps.append(bytes.count)
        }
    }

    struct RawIDs: Sendable {
        var request: [UInt8] = []
        var session: [UInt8] = []
        var user: [UInt8] = []
        var stage: [UInt8] = []
    }

    /// A decoder with an empty id cache.
    package init() {}

    /// Appends the text of a content token to `text` when `data` is a content token of the same
    /// request, session and user as the last token decoded; returns false, appending nothing,
    /// for any other frame (decode that one with ``decode(name:data:)``).
    ///
    /// This is the streaming hot path: it allocates nothing.
    ///
    /// ```swift
    /// if !decoder.appendContinuation(frame, to: &text) { event = try decoder.decode(name: nil, data: frame) }
    /// ```
    package mutating func appendContinuation(_ data: UnsafeBufferPointer<UInt8>, to text: inout [UInt8]) -> Bool {
        guard !rawIDs.request.isEmpty else { return false }
        let mark = text.count
        if !template.isEmpty {
            if matchTemplate(data, appendingTo: &text) { return true }
            text.removeSubrange(mark...)
        }
        var learned = Template()
        if appendByKeys(data, to: &text, learning: &learned) {
            template = learned
            return true
        }
        text.removeSubrange(mark...)
        return false
    }

    private func matchTemplate(_ data: UnsafeBufferPointer<UInt8>, appendingTo text: inout [UInt8]) -> Bool {
        guard let base = data.baseAddress else { return false }
        return template.literals.withUnsafeBufferPointer { literals in
            template.steps.withUnsafeBufferPointer { steps in
                var scanner = JSONScanner(data)
                var literal = 0
                for step in steps {
                    switch step {
                    case Template.contentStep:
                        guard scanner.index < data.count, data[scanner.index] == 0x22,
                            (try? scanner.appendString(to: &text)) != nil
                        else { return false }
                    case Template.numberStep:
                        guard scanner.scanNumber() else { return false }
                    default:
                        guard scanner.index + step <= data.count, let expected = literals.baseAddress,
                            memcmp(base + scanner.index, expected + literal, step) == 0
                        else { return false }
                        scanner.index += step
                        literal += step
                    }
                }
                return scanner.isAtEnd
            }
        }
    }

    /// Reads a content token key by key; on success `layout` describes its bytes.
    private func appendByKeys(_ data: UnsafeBufferPointer<UInt8>, to text: inout [UInt8], learning layout: inout Template) -> Bool {
        var scanner = JSONScanner(data)
        var isContent = false
        var literalStart = 0
        func cut(_ end: Int, _ step: Int) {
            layout.literal(UnsafeBufferPointer(rebasing: data[literalStart..<end]))
            layout.steps.append(step)
        }
        do {
            guard scanner.take(0x7B), scanner.peek() != nil, scanner.takeKey("token"), scanner.take(0x3A),
                scanner.take(0x7B)
            else { return false }
            repeat {
                guard let key = scanner.readPlainKey() else { throw scanner.fail("key") }
                try scanner.expect(0x3A)
                switch (key.count, data[key.lowerBound]) {
                case (10, 0x72) where scanner.bytes(key, equal: "request_id"):
                    guard scanner.skipString(equalTo: rawIDs.request) else { throw scanner.fail("new request") }
                case (10, 0x73) where scanner.bytes(key, equal: "session_id"):
                    guard scanner.skipString(equalTo: rawIDs.session) else { throw scanner.fail("new session") }
                case (7, 0x75) where scanner.bytes(key, equal: "user_id"):
                    guard scanner.skipString(equalTo: rawIDs.user) else { throw scanner.fail("new user") }
                case (4, 0x74) where scanner.bytes(key, equal: "type"):
                    guard scanner.peek() == 0x22, scanner.takeKey("content") else { throw scanner.fail("not content") }
                    isContent = true
                case (7, 0x63) where scanner.bytes(key, equal: "content"):
                    let start = scanner.index
                    try scanner.appendString(to: &text)
                    cut(start, Template.contentStep)
                    literalStart = scanner.index
                case (5, 0x73) where scanner.bytes(key, equal: "stage"):
                    guard scanner.skipString(equalTo: rawIDs.stage) else { throw scanner.fail("new stage") }
                default:
                    let start = scanner.index
                    if let b = scanner.peek(), b == 0x2D || (0x30...0x39).contains(b) {
                        guard scanner.scanNumber() else { throw scanner.fail("number") }
                        cut(start, Template.numberStep)
                        literalStart = scanner.index
                    } else {
                        try scanner.skipValue()
                    }
                }
            } while scanner.take(0x2C)
            guard isContent, scanner.take(0x7D), scanner.take(0x7D), scanner.peek() == nil else { throw scanner.fail("shape") }
            layout.literal(UnsafeBufferPointer(rebasing: data[literalStart..<data.count]))
            return true
        } catch {
            return false
        }
    }

    /// Decodes one frame; nil for frames that carry nothing for the caller.
    ///
    /// Throws ``MuxiError`` (kind ``MuxiError/Kind/stream``) for an `event: error` frame, a
    /// `{"error": …}` frame, or data that is not valid JSON.
    package mutating func decode(name: String?, data: [UInt8]) throws -> ChatEvent? {
        try data.withUnsafeBufferPointer { try decode(name: name, data: $0) }
    }

    /// Decodes one frame from a borrowed buffer (as the SSE parser hands it out).
    package mutating func decode(name: String?, data: UnsafeBufferPointer<UInt8>) throws -> ChatEvent? {
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
        template = Template()
        rawIDs = RawIDs(request: Self.plainBytes(req), session: Self.plainBytes(sess), user: Self.plainBytes(user),
                        stage: Self.plainBytes(stage ?? ""))
        let tokenKind = ChatToken.Kind(rawValue: kind ?? "")
        var token = ChatToken(kind: tokenKind, text: text, stage: stage, requestID: req, sessionID: sess,
                              userID: user, timestamp: timestamp)
        if tokenKind != .content {
            token.metadata = try JSONValue.parse(UnsafeBufferPointer(rebasing: scanner.bytes[start..<scanner.index]))
        }
        return Self.event(for: token)
    }

    /// The UTF-8 of `s` when it needs no escaping in JSON (so its raw bytes can be compared).
    private static func plainBytes(_ s: String) -> [UInt8] {
        let bytes = Array(s.utf8)
        return bytes.contains { $0 == 0x5C || $0 == 0x22 || $0 < 0x20 } ? [] : bytes
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
