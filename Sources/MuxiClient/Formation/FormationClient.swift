import Foundation
public import Logging

/// The client of one MUXI formation: chat, sessions, memory, triggers, scheduler and admin.
///
/// Every call picks the key its route needs (admin routes the admin key, client routes the
/// client key), sends `X-Muxi-User-ID` on user-scoped calls, retries what is safe to retry,
/// and reports failures as ``MuxiError``.
///
/// ```swift
/// let formation = try FormationClient(serverURL: "http://localhost:7890", formationID: "my-assistant",
///                                     clientKey: "your_client_key", userID: "user_123")
/// print(try await formation.health().status)
/// ```
public struct FormationClient: Sendable {
    /// How this client reaches the formation.
    public let configuration: FormationConfiguration
    private let logger: Logger

    /// A client with a full configuration.
    ///
    /// ```swift
    /// let client = FormationClient(configuration: config)
    /// ```
    public init(configuration: FormationConfiguration) {
        self.configuration = configuration
        var logger = configuration.logger
        if configuration.debugEnabled { logger.logLevel = .debug }
        self.logger = logger
    }

    /// A client connected directly to a formation (`{url}/v1`), for local development.
    ///
    /// ```swift
    /// let formation = try FormationClient(url: "http://localhost:8001", clientKey: "fmc_…")
    /// ```
    public init(url: String, clientKey: String? = nil, adminKey: String? = nil, userID: String? = nil,
                timeout: Duration = .seconds(30), maxRetries: Int = 2, debug: Bool = false,
                transport: any HTTPTransport = AsyncHTTPClientTransport()) throws {
        var c = try FormationConfiguration(url: url, clientKey: clientKey, adminKey: adminKey)
        c.apply(userID: userID, timeout: timeout, maxRetries: maxRetries, debug: debug, transport: transport)
        self.init(configuration: c)
    }

    /// A client of a formation behind a MUXI server (`{server}/api/{id}/v1`, or
    /// `{server}/draft/{id}/v1` for drafts).
    ///
    /// ```swift
    /// let formation = try FormationClient(serverURL: "http://localhost:7890", formationID: "my-assistant",
    ///                                     clientKey: "fmc_…", adminKey: "fma_…")
    /// ```
    public init(serverURL: String, formationID: String, mode: FormationConfiguration.Mode = .live,
                clientKey: String? = nil, adminKey: String? = nil, userID: String? = nil,
                timeout: Duration = .seconds(30), maxRetries: Int = 2, debug: Bool = false,
                transport: any HTTPTransport = AsyncHTTPClientTransport()) throws {
        var c = try FormationConfiguration(serverURL: serverURL, formationID: formationID, mode: mode,
                                           clientKey: clientKey, adminKey: adminKey)
        c.apply(userID: userID, timeout: timeout, maxRetries: maxRetries, debug: debug, transport: transport)
        self.init(configuration: c)
    }

    /// A client with an explicit API root, used as given.
    ///
    /// ```swift
    /// let formation = try FormationClient(baseURL: "https://gw.example.com/muxi/v1", clientKey: "fmc_…")
    /// ```
    public init(baseURL: String, clientKey: String? = nil, adminKey: String? = nil, userID: String? = nil,
                timeout: Duration = .seconds(30), maxRetries: Int = 2, debug: Bool = false,
                transport: any HTTPTransport = AsyncHTTPClientTransport()) throws {
        var c = try FormationConfiguration(baseURL: baseURL, clientKey: clientKey, adminKey: adminKey)
        c.apply(userID: userID, timeout: timeout, maxRetries: maxRetries, debug: debug, transport: transport)
        self.init(configuration: c)
    }

    // MARK: - Sending

    /// Builds the request of `route`, or throws a configuration error before anything is sent.
    func request(for route: Route, userID: String?, idempotencyKey: String, accept: String = "application/json") throws -> HTTPRequest {
        var headers = [
            HTTPHeader("Accept", accept),
            HTTPHeader("X-Muxi-SDK", "swift/\(MuxiClientVersion.current)"),
            HTTPHeader("X-Muxi-Client", MuxiClientVersion.platform),
            HTTPHeader("X-Muxi-Idempotency-Key", idempotencyKey),
        ]
        switch route.key {
        case .admin:
            guard let key = configuration.adminKey, !key.isEmpty else {
                throw MuxiError.configuration("ADMIN_KEY_REQUIRED",
                    "\(route.method) \(route.path) needs the admin key; set adminKey (or MUXI_ADMIN_KEY)")
            }
            headers.append(HTTPHeader("X-Muxi-Admin-Key", key))
        case .client:
            guard let key = configuration.clientKey, !key.isEmpty else {
                throw MuxiError.configuration("CLIENT_KEY_REQUIRED",
                    "\(route.method) \(route.path) needs the client key; set clientKey (or MUXI_CLIENT_KEY)")
            }
            headers.append(HTTPHeader("X-Muxi-Client-Key", key))
        case .either:
            if let key = configuration.clientKey, !key.isEmpty {
                headers.append(HTTPHeader("X-Muxi-Client-Key", key))
            } else if let key = configuration.adminKey, !key.isEmpty {
                headers.append(HTTPHeader("X-Muxi-Admin-Key", key))
            } else {
                throw MuxiError.configuration("KEY_REQUIRED",
                    "\(route.method) \(route.path) needs the client key or the admin key")
            }
        case .none:
            break
        }
        let user = userID ?? configuration.userID
        let sendsClientKey = headers.contains { $0.name == "X-Muxi-Client-Key" }
        switch route.user {
        case .required, .requiredWithClientKey where sendsClientKey:
            guard let user, !user.isEmpty else {
                throw MuxiError.configuration("USER_REQUIRED",
                    "\(route.method) \(route.path) acts for a user; set userID (or MUXI_USER_ID)")
            }
            headers.append(HTTPHeader("X-Muxi-User-ID", user))
        case .optional, .requiredWithClientKey:
            if let user, !user.isEmpty { headers.append(HTTPHeader("X-Muxi-User-ID", user)) }
        case .none:
            break
        }
        headers += route.headers
        var body: [UInt8]?
        if let json = route.body {
            body = JSONWriter.bytes(json)
            Attachment.append(route.files, toObject: &body!)
            headers.append(HTTPHeader("Content-Type", "application/json"))
        }
        let query = URLEncoding.query(route.query)
        let url = configuration.baseURL + route.path + (query.isEmpty ? "" : "?" + query)
        return HTTPRequest(method: route.method, url: url, headers: headers, body: body)
    }

    /// Sends `route` and returns the JSON body, unwrapped from the runtime's envelope.
    func send(_ route: Route, userID: String? = nil) async throws -> JSONValue {
        let request = try request(for: route, userID: userID, idempotencyKey: UUID().uuidString.lowercased())
        let response = try await withRetries(route: route, request: request) {
            let response = try await configuration.transport.send(request, headTimeout: configuration.timeout)
            return CollectedResponse(status: response.status, headers: response.headers, body: try await response.collect())
        }
        let (status, body) = (response.status, response.body)
        let json: JSONValue
        do {
            json = try JSONValue(parsing: body)
        } catch {
            throw MuxiError.invalidResponse(
                "\(route.method) \(route.path) answered \(status) with a body that is not JSON: "
                    + String(decoding: body.prefix(120), as: UTF8.self), status: status)
        }
        return try Envelope.unwrap(json, status: status)
    }

    /// Opens a streaming response: retries what may be retried before the body starts, and
    /// turns an error status into ``MuxiError`` before any parsing.
    /// `idle: false` sets no idle limit, for streams that may stay silent (logs, events).
    func openStream(_ route: Route, userID: String?, idempotencyKey: String, accept: String = "text/event-stream",
                    idle: Bool = true) async throws -> HTTPResponse {
        var streaming = try request(for: route, userID: userID, idempotencyKey: idempotencyKey, accept: accept)
        streaming.idleTimeout = idle ? configuration.streamIdleTimeout : nil
        let request = streaming
        return try await withRetries(route: route, request: request) {
            try await configuration.transport.send(request, headTimeout: configuration.timeout)
        }
    }

    /// Runs `attempt` up to `maxRetries + 1` times. An error status is read from the body
    /// (for a streaming response too) and retried when transient and the route allows it.
    /// `configuration.timeout` bounds the whole call, retries included: a retry that could not
    /// finish in time is not started.
    private func withRetries<T: AttemptResult>(route: Route, request: HTTPRequest,
                                               _ attempt: @Sendable () async throws -> T) async throws -> T {
        var tries = 0
        let deadline = ContinuousClock.now + configuration.timeout
        while true {
            let started = ContinuousClock.now
            var failure: MuxiError
            do {
                let result = try await withDeadline(deadline - started, total: configuration.timeout, attempts: tries + 1,
                                                    request: request, attempt)
                logRequest(request, status: result.status, since: started)
                guard !(200..<300).contains(result.status), !route.answeringStatuses.contains(result.status) else { return result }
                let (headers, body) = await result.errorDetails()
                let retryAfter = headers.first { $0.name.lowercased() == "retry-after" }
                    .flatMap { RetryAfter.seconds(from: $0.value, now: Date()) }
                failure = MuxiError.fromResponse(status: result.status, body: body, retryAfter: retryAfter)
            } catch let error as MuxiError where error.kind == .connection || error.kind == .timeout {
                logRequest(request, status: nil, since: started)
                failure = error
            }
            guard route.isRetryable, failure.isTransient, tries < configuration.maxRetries,
                let delay = configuration.retryPolicy.delay(attempt: tries, retryAfter: failure.retryAfter),
                ContinuousClock.now + delay < deadline
            else { throw failure }
            tries += 1
            logger.debug("retry \(request.method) \(request.target) after \(delay.seconds)s due to \(failure.statusCode == 0 ? failure.code : String(failure.statusCode))")
            try await Task.sleep(for: delay)
        }
    }

    /// Runs one attempt with `limit` left of the call's `total`; the time-out says what was waited.
    private func withDeadline<T: Sendable>(_ limit: Duration, total: Duration, attempts: Int, request: HTTPRequest,
                                           _ operation: @Sendable () async throws -> T) async throws -> T {
        try await withoutActuallyEscaping(operation) { operation in
            try await withThrowingTaskGroup(of: T.self) { group in
                let op = UncheckedBox(operation)
                group.addTask { try await op.value() }
                group.addTask {
                    try await Task.sleep(for: max(.zero, limit))
                    throw MuxiError(kind: .timeout, code: "TIMEOUT",
                                    message: "\(request.method) \(request.target): no answer within \(total.seconds) s"
                                        + (attempts > 1 ? " (\(attempts) attempts)" : ""))
                }
                defer { group.cancelAll() }
                guard let first = try await group.next() else { throw CancellationError() }
                return first
            }
        }
    }

    private func logRequest(_ request: HTTPRequest, status: Int?, since start: ContinuousClock.Instant) {
        guard logger.logLevel <= .debug else { return }
        let elapsed = (ContinuousClock.now - start).seconds
        logger.debug("\(request.method) \(request.target) -> \(status.map(String.init) ?? "failed") (\(String(format: "%.3f", elapsed))s)")
    }
}

/// What one attempt of a request produced: a status, and for an error status, the headers
/// and body to read the error from.
private protocol AttemptResult: Sendable {
    var status: Int { get }
    func errorDetails() async -> (headers: [HTTPHeader], body: [UInt8])
}

/// A response read whole (JSON calls).
private struct CollectedResponse: AttemptResult {
    let status: Int
    let headers: [HTTPHeader]
    let body: [UInt8]
    func errorDetails() async -> (headers: [HTTPHeader], body: [UInt8]) { (headers, body) }
}

extension HTTPResponse: AttemptResult {
    /// A streaming response's error body is read (up to 1 MiB) only when the status says error.
    func errorDetails() async -> (headers: [HTTPHeader], body: [UInt8]) {
        (headers, (try? await collect(upTo: 1 << 20)) ?? [])
    }
}

/// Lets a non-escaping closure run in a child task that cannot outlive it (the task group
/// is awaited before `withoutActuallyEscaping` returns).
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

extension FormationConfiguration {
    mutating func apply(userID: String?, timeout: Duration, maxRetries: Int, debug: Bool, transport: any HTTPTransport) {
        self.userID = userID
        self.timeout = timeout
        self.maxRetries = max(0, maxRetries)
        self.debug = debug
        self.transport = transport
    }
}

/// The library's version, sent as `X-Muxi-SDK: swift/<version>`.
public enum MuxiClientVersion {
    /// This library's version.
    public static let current = "0.1.0"

    static var platform: String {
        #if os(Linux)
        let os = "linux"
        #elseif os(macOS)
        let os = "darwin"
        #else
        let os = "other"
        #endif
        #if arch(x86_64)
        let arch = "x86_64"
        #elseif arch(arm64)
        let arch = "arm64"
        #else
        let arch = "other"
        #endif
        return "\(os)-\(arch)/swift6"
    }
}
