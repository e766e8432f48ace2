public import Foundation
public import Logging

/// The client of a MUXI server's control plane (`/rpc`): formations, deploys, logs.
///
/// Requests are signed with HMAC-SHA256 over the timestamp, method and path, as the server checks them. Deploy and update send the `.tar.gz`
/// bundle as the raw body with `X-Formation-ID`, as the server expects.
///
/// ```swift
/// let server = try ServerClient(url: "http://localhost:7890", keyID: "MUXI_…", secretKey: "sk_…")
/// print(try await server.status())
/// let result = try await server.deploy(bundleAt: "my-bot.tar.gz", formationID: "my-bot")
/// ```
public struct ServerClient: Sendable {
    /// The server's URL.
    public let url: String
    private let signer: HMACSigner
    /// The key id the requests are signed with (the secret is never shown).
    public var keyID: String { signer.keyID }
    private let timeout: Duration
    private let transport: any HTTPTransport
    private let now: @Sendable () -> Date
    private let retries: Retries

    /// A server client. `timeout` bounds each call, its retries included; GET and DELETE
    /// calls are retried up to `maxRetries` times on a connection error, a time-out, 408,
    /// 429 or 5xx (after `retryPolicy`'s back-off, or the server's `Retry-After`), each
    /// attempt signed afresh and carrying the call's one `X-Muxi-Idempotency-Key`; deploys,
    /// updates and the start/stop/restart/rollback actions are never repeated (the server
    /// honours no idempotency key). `debug` (or `MUXI_DEBUG=1`) logs each request's method,
    /// path, status and time to `logger`, never a header. `now` is the clock used for signatures.
    ///
    /// ```swift
    /// let server = try ServerClient(url: "http://localhost:7890", keyID: "MUXI_…", secretKey: "sk_…",
    ///                               maxRetries: 3, debug: true)
    /// ```
    public init(url: String, keyID: String, secretKey: String, timeout: Duration = .seconds(30),
                maxRetries: Int = 2, retryPolicy: RetryPolicy = RetryPolicy(), debug: Bool = false,
                logger: Logger = Logger(label: "muxi"),
                transport: any HTTPTransport = AsyncHTTPClientTransport(),
                now: @escaping @Sendable () -> Date = { Date() }) throws(MuxiError) {
        self.url = try FormationConfiguration.validated(url)
        guard !keyID.isEmpty, !secretKey.isEmpty else {
            throw MuxiError.configuration("SERVER_KEYS_REQUIRED", "the server needs a key id and a secret key (MUXI_KEY_ID, MUXI_SECRET_KEY)")
        }
        self.signer = HMACSigner(keyID: keyID, secretKey: secretKey)
        self.timeout = timeout
        self.transport = transport
        self.now = now
        var logger = logger
        if debug || FormationConfiguration.isOn(Environment.value("MUXI_DEBUG")) { logger.logLevel = .debug }
        self.retries = Retries(maxRetries: max(0, maxRetries), policy: retryPolicy, timeout: timeout, logger: logger)
    }

    /// A server client from `MUXI_SERVER_URL`, `MUXI_KEY_ID` and `MUXI_SECRET_KEY` (the
    /// command line's variables); a `configuration` ``MuxiError`` names what is missing.
    ///
    /// ```swift
    /// let server = try ServerClient.fromEnvironment()
    /// ```
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(MuxiError) -> ServerClient {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let url = value("MUXI_SERVER_URL") else {
            throw MuxiError.configuration("NO_URL", "set MUXI_SERVER_URL to the server's address")
        }
        return try ServerClient(url: url, keyID: value("MUXI_KEY_ID") ?? "", secretKey: value("MUXI_SECRET_KEY") ?? "")
    }

    // MARK: - Unsigned

    /// `GET /ping`: the server's `pong`.
    ///
    /// ```swift
    /// let pong = try await server.ping()   // "pong"
    /// ```
    public func ping() async throws -> String {
        let (_, body) = try await raw("GET", "/ping", signed: false)
        return String(decoding: body, as: UTF8.self).trimmingCharactersInWhitespace
    }

    /// `GET /health`, read leniently (servers answer in two shapes).
    ///
    /// ```swift
    /// let health = try await server.health()
    /// ```
    public func health() async throws -> JSONValue {
        try await json("GET", "/health", signed: false)
    }

    // MARK: - Signed

    /// `GET /rpc/server/status`.
    public func status() async throws -> JSONValue { try await json("GET", "/rpc/server/status") }

    /// The server's audit log (`GET /rpc/server/logs?lines=N`).
    public func serverLogs(lines: Int = 100) async throws -> JSONValue {
        try await json("GET", "/rpc/server/logs?lines=\(lines)")
    }

    /// The formations on the server (`GET /rpc/formations`).
    public func formations() async throws -> [ServerFormation] {
        try await json("GET", "/rpc/formations").list("formations")
    }

    /// One formation (`GET /rpc/formations/{id}`).
    public func formation(_ id: String) async throws -> ServerFormation {
        try ServerFormation(json: try await json("GET", path(id)))
    }

    /// Deploys a bundle (`POST /rpc/formations`, raw gzip body, `X-Formation-ID`).
    ///
    /// ```swift
    /// let result = try await server.deploy(bundle: bytes, formationID: "my-bot")
    /// print(result["formation_id"]?.stringValue ?? "")
    /// ```
    public func deploy(bundle: [UInt8], formationID: String, version: String? = nil) async throws -> JSONValue {
        try await json("POST", "/rpc/formations", body: bundle, headers: bundleHeaders(formationID, version))
    }

    /// Deploys the bundle file at `path`.
    public func deploy(bundleAt path: String, formationID: String, version: String? = nil) async throws -> JSONValue {
        try await deploy(bundle: try Self.read(path), formationID: formationID, version: version)
    }

    /// Deploys and streams the progress.
    public func deployStream(bundle: [UInt8], formationID: String, version: String? = nil) -> AsyncThrowingStream<ServerEvent, any Error> {
        events("POST", "/rpc/formations", body: bundle, headers: bundleHeaders(formationID, version))
    }

    /// Replaces a formation with a new bundle, blue-green (`PUT /rpc/formations/{id}`).
    public func update(_ id: String, bundle: [UInt8], version: String? = nil) async throws -> JSONValue {
        try await json("PUT", path(id), body: bundle, headers: bundleHeaders(nil, version))
    }

    /// Updates and streams the progress.
    public func updateStream(_ id: String, bundle: [UInt8], version: String? = nil) -> AsyncThrowingStream<ServerEvent, any Error> {
        events("PUT", path(id), body: bundle, headers: bundleHeaders(nil, version))
    }

    /// `POST /rpc/formations/{id}/start`.
    public func start(_ id: String) async throws -> JSONValue { try await json("POST", path(id, "start")) }
    /// `POST /rpc/formations/{id}/stop`.
    public func stop(_ id: String) async throws -> JSONValue { try await json("POST", path(id, "stop")) }
    /// `POST /rpc/formations/{id}/restart`.
    public func restart(_ id: String) async throws -> JSONValue { try await json("POST", path(id, "restart")) }
    /// `POST /rpc/formations/{id}/rollback`.
    public func rollback(_ id: String) async throws -> JSONValue { try await json("POST", path(id, "rollback")) }
    /// `POST /rpc/formations/{id}/cancel-update`.
    public func cancelUpdate(_ id: String) async throws -> JSONValue { try await json("POST", path(id, "cancel-update")) }
    /// `DELETE /rpc/formations/{id}`.
    public func delete(_ id: String) async throws -> JSONValue { try await json("DELETE", path(id)) }

    /// Streams a start, restart or rollback (`action` is `start`, `restart` or `rollback`).
    public func actionStream(_ id: String, action: String) -> AsyncThrowingStream<ServerEvent, any Error> {
        events("POST", path(id, action))
    }

    /// A formation's recent log lines (`GET /rpc/formations/{id}/logs?lines=N`), of one
    /// output stream when `stream` is given (the server's default otherwise).
    ///
    /// ```swift
    /// let errors = try await server.logs("my-bot", lines: 50, stream: .stderr)
    /// ```
    public func logs(_ id: String, lines: Int = 100, stream: LogStream? = nil) async throws -> JSONValue {
        var query = "lines=\(lines)"
        if let stream { query += "&stream=\(URLEncoding.component(stream.rawValue))" }
        return try await json("GET", path(id, "logs") + "?" + query)
    }

    /// Follows a formation's logs (`GET …/logs?follow=true`, SSE), of one output stream
    /// when `stream` is given, until cancelled.
    ///
    /// ```swift
    /// for try await case .log(let line) in server.followLogs("my-bot", stream: .stdout) { print(line) }
    /// ```
    public func followLogs(_ id: String, stream: LogStream? = nil) -> AsyncThrowingStream<ServerEvent, any Error> {
        var query = "follow=true"
        if let stream { query += "&stream=\(URLEncoding.component(stream.rawValue))" }
        return events("GET", path(id, "logs") + "?" + query)
    }

    /// A formation's output stream, as the server's `stream=` parameter names it.
    ///
    /// ```swift
    /// let s: ServerClient.LogStream = "stderr"   // the same as .stderr
    /// ```
    public struct LogStream: WireValue {
        /// The name as sent.
        public let rawValue: String
        /// A stream by name (names this library does not know are sent as given).
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The formation's standard output.
        public static let stdout = LogStream(rawValue: "stdout")
        /// The formation's standard error.
        public static let stderr = LogStream(rawValue: "stderr")
    }

    // MARK: - Plumbing

    private func path(_ id: String, _ action: String? = nil) -> String {
        "/rpc/formations/\(URLEncoding.component(id))" + (action.map { "/\($0)" } ?? "")
    }

    private func bundleHeaders(_ id: String?, _ version: String?) -> [HTTPHeader] {
        var h = [HTTPHeader("Content-Type", "application/gzip")]
        if let id { h.append(HTTPHeader("X-Formation-ID", id)) }
        if let version { h.append(HTTPHeader("X-Formation-Version", version)) }
        return h
    }

    private static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MuxiError.configuration("BUNDLE_NOT_FOUND", "cannot read the bundle \(path)")
        }
        return Array(data)
    }

    /// The request, signed now; `idempotencyKey` is the call's, the same for its retries.
    func request(_ method: String, _ target: String, body: [UInt8]?, headers: [HTTPHeader], signed: Bool,
                 accept: String, idempotencyKey: String = UUID().uuidString.lowercased()) -> HTTPRequest {
        var all = [HTTPHeader("Accept", accept), HTTPHeader("X-Muxi-SDK", "swift/\(MuxiClientVersion.current)"),
                   HTTPHeader("X-Muxi-Client", MuxiClientVersion.platform),
                   HTTPHeader("X-Muxi-Idempotency-Key", idempotencyKey)] + headers
        if signed {
            let ts = Int(now().timeIntervalSince1970)
            all.append(HTTPHeader("Authorization", signer.authorization(method: method, target: target, timestamp: ts)))
        }
        return HTTPRequest(method: method, url: url + target, headers: all, body: body)
    }

    /// Whether a call may be sent again: reads and deletes; never a deploy or an action.
    private static func repeatable(_ method: String) -> Bool { method == "GET" || method == "DELETE" }

    /// Sends one call (with its retries) and returns the response, an error status thrown as ``MuxiError``.
    private func send<T: AttemptResult>(_ method: String, _ target: String, body: [UInt8]?, headers: [HTTPHeader],
                                        signed: Bool, accept: String,
                                        _ fetch: @escaping @Sendable (HTTPRequest) async throws -> T) async throws -> T {
        let key = UUID().uuidString.lowercased()
        return try await retries.run("\(method) \(target)", retryable: Self.repeatable(method)) {
            try await fetch(request(method, target, body: body, headers: headers, signed: signed, accept: accept,
                                    idempotencyKey: key))
        }
    }

    private func raw(_ method: String, _ target: String, body: [UInt8]? = nil, headers: [HTTPHeader] = [],
                     signed: Bool = true) async throws -> (Int, [UInt8]) {
        let transport = self.transport, timeout = self.timeout
        let response = try await send(method, target, body: body, headers: headers, signed: signed,
                                      accept: "application/json") {
            try await CollectedResponse.fetch($0, over: transport, headTimeout: timeout)
        }
        return (response.status, response.body)
    }

    private func json(_ method: String, _ target: String, body: [UInt8]? = nil, headers: [HTTPHeader] = [],
                      signed: Bool = true) async throws -> JSONValue {
        let (status, bytes) = try await raw(method, target, body: body, headers: headers, signed: signed)
        guard let value = try? JSONValue(parsing: bytes) else {
            throw MuxiError.invalidResponse("\(method) \(target) answered with a body that is not JSON", status: status)
        }
        if case .object(let o) = value, o["success"] != nil, let data = o["data"] { return data }
        return value
    }

    /// An SSE operation stream. Server streams can be silent for minutes (health checks), so
    /// there is no idle limit; `complete` or `error` ends the stream, and an end without
    /// either is an error.
    private func events(_ method: String, _ target: String, body: [UInt8]? = nil,
                        headers: [HTTPHeader] = []) -> AsyncThrowingStream<ServerEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<ServerEvent, any Error>.makeStream()
        let transport = self.transport
        let timeout = self.timeout
        let follows = target.contains("follow=true")
        let task = Task {
            do {
                let response = try await send(method, target, body: body, headers: headers, signed: true,
                                              accept: "text/event-stream") {
                    try await transport.send($0, headTimeout: timeout)   // no idle limit: see above
                }
                if !(response.header("content-type")?.lowercased().hasPrefix("text/event-stream") ?? false) {
                    let value = (try? JSONValue(parsing: try await response.collect())) ?? .null
                    continuation.yield(.complete(value["data"] ?? value))
                    continuation.finish()
                    return
                }
                var parser = SSEParser()
                var ended = false
                for try await chunk in response.body {
                    var events: [ServerEvent] = []
                    try parser.feed(chunk) { record in
                        guard case .event(let name, let data) = record else { return }
                        let payload = (try? JSONValue.parse(data)) ?? .string(String(decoding: data, as: UTF8.self))
                        switch name ?? "message" {
                        case "progress":
                            events.append(.progress(stage: payload.string("stage") ?? "", message: payload.string("message") ?? "",
                                                    percent: payload.int("progress")))
                        case "complete": events.append(.complete(payload)); ended = true
                        case "log": events.append(.log(payload))
                        case "error":
                            throw MuxiError(kind: .stream, code: payload.string("error") ?? "SERVER_ERROR",
                                            message: payload.string("message") ?? "the server reported an error",
                                            details: payload)
                        default: events.append(.other(name: name ?? "message", data: payload))
                        }
                    }
                    events.forEach { continuation.yield($0) }
                    if ended { break }
                }
                if !ended && !follows {
                    throw MuxiError(kind: .stream, code: "STREAM_CUT", message: "the server stream ended without complete or error")
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
