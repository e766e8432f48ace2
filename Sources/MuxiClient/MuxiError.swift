public import struct Foundation.Date

/// Every failure this library reports: one type, with a ``Kind`` to switch on.
///
/// ```swift
/// do {
///     _ = try await client.agents()
/// } catch let error as MuxiError where error.kind == .authentication {
///     print("check the admin key: \(error.message)")
/// } catch let error as MuxiError where error.kind == .rateLimit {
///     print("retry after \(error.retryAfter ?? 0) s")
/// }
/// ```
public struct MuxiError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is; matches the official SDKs' error classes.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// 401: a key is missing or wrong (`AuthenticationError`).
        case authentication
        /// 403: the key is valid but not allowed to do this (`AuthorizationError`).
        case authorization
        /// 404: no such session, memory, trigger, job, request… (`NotFoundError`).
        case notFound
        /// 409: it already exists or is in use (`ConflictError`).
        case conflict
        /// 400 and 422: the request was refused as invalid (`ValidationError`).
        case validation
        /// 429: too many requests; see ``MuxiError/retryAfter`` (`RateLimitError`).
        case rateLimit
        /// 5xx, or an answer that is not what the protocol says (`ServerError`).
        case server
        /// The server could not be reached or the connection broke (`ConnectionError`).
        case connection
        /// No answer within the configured time.
        case timeout
        /// A chat or event stream failed: an `event: error` frame, a malformed or oversized
        /// frame, or a turn that ended without an answer.
        case stream
        /// The client is set up in a way that cannot work; nothing was sent.
        case configuration
        /// Any other HTTP status (405, 501…).
        case unknown
    }

    /// What kind of failure this is.
    public var kind: Kind
    /// A machine-readable code: the server's (`UNAUTHORIZED`, `TRIGGER_NOT_FOUND`…) or ours.
    public var code: String
    /// A human-readable message.
    public var message: String
    /// The HTTP status, or 0 when there was no HTTP response.
    public var statusCode: Int
    /// Seconds to wait before retrying, from `Retry-After`, when the server said.
    public var retryAfter: Double?
    /// The whole error payload as the server sent it (`.null` when there was none).
    public var details: JSONValue

    /// Creates an error.
    ///
    /// ```swift
    /// let e = MuxiError(kind: .configuration, code: "NO_URL", message: "set a URL")
    /// ```
    public init(kind: Kind, code: String, message: String, statusCode: Int = 0,
                retryAfter: Double? = nil, details: JSONValue = .null) {
        self.kind = kind
        self.code = code
        self.message = message
        self.statusCode = statusCode
        self.retryAfter = retryAfter
        self.details = details
    }

    /// `KIND: CODE: message`, one line.
    public var description: String { "\(kind.rawValue): \(code): \(message)" }

    /// Whether retrying the same request later may succeed (rate limits, 5xx, connection
    /// failures and time-outs).
    ///
    /// ```swift
    /// if error.isTransient { /* try again */ }
    /// ```
    public var isTransient: Bool {
        switch kind {
        case .rateLimit, .connection, .timeout: return true
        case .server: return statusCode == 408 || (500...599).contains(statusCode) && statusCode != 501
        default: return statusCode == 408
        }
    }

    /// The error for an HTTP error response, read the way the runtime and the server write it:
    /// the code from the nested `error.code`, then a top-level `code` (a string, or the
    /// server's integer), then a top-level `error` string, then a default for the status;
    /// the message from `error.message`, then `message`, then the status text.
    ///
    /// ```swift
    /// let e = MuxiError.fromResponse(status: 404, body: Array(body.utf8))
    /// ```
    public static func fromResponse(status: Int, body: [UInt8], retryAfter: Double? = nil) -> MuxiError {
        let payload = (try? JSONValue(parsing: body)) ?? .null
        let kind = kind(forStatus: status)
        let nested = payload["error"]
        let code = nested?["code"]?.looseString
            ?? payload["code"]?.looseString
            ?? nested?.stringValue
            ?? defaultCode(forStatus: status)
        var message = nested?["message"]?.stringValue
            ?? payload["message"]?.stringValue
            ?? payload["detail"]?.stringValue
            ?? reasonPhrase(status)
        if payload.isNull, !body.isEmpty {
            let text = String(decoding: body.prefix(200), as: UTF8.self)
                .split(whereSeparator: \.isNewline).joined(separator: " ")
            message = "\(reasonPhrase(status)): \(text)"
        }
        return MuxiError(kind: kind, code: code, message: message, statusCode: status,
                         retryAfter: retryAfter, details: payload)
    }

    /// Whether a 404 says the route itself does not exist, rather than a thing the route
    /// looked up: the web framework's bare reason phrase, which the runtime (1.20260928.0)
    /// wraps in its envelope as `{"error":{"code":"RESOURCE_NOT_FOUND","message":"Not Found"}}`
    /// (a missing session or trigger says which), a plain framework's `{"detail":"Not Found"}`,
    /// or the MUXI server's "Endpoint not found".
    var isUnservedRoute: Bool {
        guard statusCode == 404 else { return false }
        if case .object(let o) = details, o.count == 1, o["detail"] == "Not Found" { return true }
        if details["error"]?["message"] == "Not Found" { return true }
        return details["message"] == "Endpoint not found"
    }

    /// The error for a route the server does not serve (`call` is `METHOD /path`).
    static func unservedRoute(_ call: String, statusCode: Int = 404) -> MuxiError {
        MuxiError(kind: .notFound, code: "ROUTE_NOT_SERVED",
                  message: "this server does not serve \(call) (a runtime older or newer than this library?)",
                  statusCode: statusCode)
    }

    static func kind(forStatus status: Int) -> Kind {
        switch status {
        case 400, 422: return .validation
        case 401: return .authentication
        case 403: return .authorization
        case 404: return .notFound
        case 408: return .timeout
        case 409: return .conflict
        case 429: return .rateLimit
        case 500...599 where status != 501: return .server
        default: return .unknown
        }
    }

    static func defaultCode(forStatus status: Int) -> String {
        switch status {
        case 400: return "INVALID_REQUEST"
        case 401: return "UNAUTHORIZED"
        case 403: return "FORBIDDEN"
        case 404: return "NOT_FOUND"
        case 409: return "CONFLICT"
        case 422: return "VALIDATION_ERROR"
        case 429: return "RATE_LIMITED"
        case 500...599: return "SERVER_ERROR"
        default: return "ERROR"
        }
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 422: return "Unprocessable Entity"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "HTTP \(status)"
        }
    }

    static func configuration(_ code: String, _ message: String) -> MuxiError {
        MuxiError(kind: .configuration, code: code, message: message)
    }

    /// A request refused before sending: an argument the runtime would refuse too.
    static func validation(_ message: String) -> MuxiError {
        MuxiError(kind: .validation, code: "INVALID_ARGUMENT", message: message)
    }

    static func idleMessage(_ limit: Duration) -> String {
        "the server sent nothing for \(limit.seconds) s"
    }

    static func invalidResponse(_ message: String, status: Int = 0) -> MuxiError {
        MuxiError(kind: .server, code: "INVALID_RESPONSE", message: message, statusCode: status)
    }
}

/// Parses a `Retry-After` header: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
///
/// ```swift
/// RetryAfter.seconds(from: "120", now: Date())                          // 120
/// RetryAfter.seconds(from: "Sun, 06 Nov 1994 08:49:37 GMT", now: date)  // seconds until then
/// ```
package enum RetryAfter {
    /// The delay in seconds (never negative), or nil when the value is neither form.
    package static func seconds(from value: String, now: Date) -> Double? {
        let trimmed = value.trimmingCharactersInWhitespace
        if let s = Double(trimmed), s.isFinite { return max(0, s) }
        guard let date = HTTPDate.parse(trimmed) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}

extension String {
    var trimmingCharactersInWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
