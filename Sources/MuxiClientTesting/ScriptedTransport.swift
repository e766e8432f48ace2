public import MuxiClient
import Foundation

/// A transport that answers from a script instead of the network, and records every request:
/// test your own code that uses ``FormationClient`` without a server.
///
/// ```swift
/// let transport = ScriptedTransport()
/// transport.on("GET", "/v1/health", .json(200, #"{"status":"healthy"}"#))
/// let client = try FormationClient(url: "http://test", transport: transport)
/// _ = try await client.health()
/// transport.requests.count // 1
/// ```
public final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    /// One scripted answer.
    public enum Reply: Sendable {
        /// A response: status, headers and the body in the given chunks (with an optional pause
        /// before each chunk).
        case response(status: Int, headers: [HTTPHeader], chunks: [[UInt8]], pause: Duration?)
        /// A transport failure (connection refused, time-out…).
        case failure(MuxiError)
        /// The head never arrives: waits for the time-out (or cancellation).
        case hang

        /// A JSON response.
        ///
        /// ```swift
        /// .json(404, #"{"error":{"code":"NOT_FOUND","message":"nope"}}"#)
        /// ```
        public static func json(_ status: Int, _ body: String, headers: [HTTPHeader] = []) -> Reply {
            .response(status: status, headers: [HTTPHeader("Content-Type", "application/json")] + headers,
                      chunks: [Array(body.utf8)], pause: nil)
        }

        /// An SSE response delivered in `chunks`.
        ///
        /// ```swift
        /// .sse(["data: {\"token\":{…}}\n\n", "event: done\ndata: {}\n\n"])
        /// ```
        public static func sse(_ chunks: [String], pause: Duration? = nil) -> Reply {
            .response(status: 200, headers: [HTTPHeader("Content-Type", "text/event-stream")],
                      chunks: chunks.map { Array($0.utf8) }, pause: pause)
        }

        /// An SSE response from raw bytes cut into pieces of `chunkSize`.
        public static func sse(bytes: [UInt8], chunkSize: Int, pause: Duration? = nil) -> Reply {
            let size = max(1, chunkSize)
            let chunks = stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
            return .response(status: 200, headers: [HTTPHeader("Content-Type", "text/event-stream")], chunks: chunks, pause: pause)
        }
    }

    private struct Rule {
        var method: String
        var path: String
        var replies: [Reply]
    }

    private let lock = NSLock()
    private var rules: [Rule] = []
    private var recorded: [HTTPRequest] = []

    /// An empty script: every request fails with a 404 until rules are added.
    public init() {}

    /// Answers requests of `method` to `path` (the URL path without the query, e.g.
    /// `/v1/chat`) with `replies` in turn; the last reply repeats.
    public func on(_ method: String, _ path: String, _ replies: Reply...) {
        lock.withLock { rules.append(Rule(method: method, path: path, replies: replies)) }
    }

    /// Every request sent so far, oldest first.
    public var requests: [HTTPRequest] { lock.withLock { recorded } }

    /// The requests sent to `path`.
    public func requests(to path: String) -> [HTTPRequest] {
        requests.filter { Self.path(of: $0) == path }
    }

    /// Sends `request`; returns once the response head arrived.
    public func send(_ request: HTTPRequest, headTimeout: Duration) async throws -> HTTPResponse {
        let reply: Reply? = lock.withLock {
            recorded.append(request)
            let path = Self.path(of: request)
            guard let index = rules.lastIndex(where: { $0.method == request.method && $0.path == path }) else { return nil }
            let next = rules[index].replies[0]
            if rules[index].replies.count > 1 { rules[index].replies.removeFirst() }
            return next
        }
        switch reply {
        case nil:
            let what = JSONWriter.string(.string("no scripted reply for \(request.method) \(Self.path(of: request)): script it with on(\"\(request.method)\", \"\(Self.path(of: request))\", …)"))
            return Self.respond(status: 404, headers: [], chunks: [Array(#"{"error":{"code":"NOT_SCRIPTED","message":\#(what)}}"#.utf8)], pause: nil)
        case .failure(let error)?:
            throw error
        case .hang?:
            try await Task.sleep(for: headTimeout)
            throw MuxiError(kind: .timeout, code: "TIMEOUT", message: "no answer within the time-out")
        case .response(let status, let headers, let chunks, let pause)?:
            var response = Self.respond(status: status, headers: headers, chunks: chunks, pause: pause)
            if let limit = request.idleTimeout { response.body = response.body.failingWhenIdle(for: limit) }
            return response
        }
    }

    private static func respond(status: Int, headers: [HTTPHeader], chunks: [[UInt8]], pause: Duration?) -> HTTPResponse {
        let (body, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let task = Task {
            for chunk in chunks {
                if let pause { try? await Task.sleep(for: pause) }
                if Task.isCancelled { break }
                continuation.yield(chunk)
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return HTTPResponse(status: status, headers: headers, body: HTTPBody(body))
    }

    static func path(of request: HTTPRequest) -> String {
        let target = request.target
        return String(target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }
}

extension ChatToken {
    /// The SSE frame of a token as the runtime writes it (`data: {"token":{…}}`).
    ///
    /// ```swift
    /// let frame = ChatToken(kind: .content, text: "Hi", requestID: "req_1", sessionID: "sess_1").sseFrame
    /// ```
    public var sseFrame: String {
        var token: [String: JSONValue] = metadata.objectValue ?? [:]
        token["request_id"] = .string(requestID)
        token["session_id"] = .string(sessionID)
        token["user_id"] = .string(userID)
        token["type"] = .string(kind.rawValue)
        token["content"] = .string(text)
        if let stage { token["stage"] = .string(stage) }
        if let timestamp { token["timestamp"] = .number(JSONNumber(timestamp)) }
        return "data: \(JSONWriter.string(["token": .object(token)]))\n\n"
    }
}
