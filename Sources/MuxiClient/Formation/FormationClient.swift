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
                transport: any HTTPTransport = AsyncHTTPClientTransport()) throws(MuxiError) {
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
                transport: any HTTPTransport = AsyncHTTPClientTransport()) throws(MuxiError) {
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
                transport: any HTTPTransport = AsyncHTTPClientTransport()) throws(MuxiError) {
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
        let transport = configuration.transport, headTimeout = configuration.timeout
        let response = try await retries.run("\(request.method) \(request.target)", retryable: route.isRetryable,
                                             answering: route.answeringStatuses) {
            try await CollectedResponse.fetch(request, over: transport, headTimeout: headTimeout)
        }
        noticeUpdate(in: response.headers)
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
        let transport = configuration.transport, headTimeout = configuration.timeout
        return try await retries.run("\(request.method) \(request.target)", retryable: route.isRetryable,
                                     answering: route.answeringStatuses) {
            try await transport.send(request, headTimeout: headTimeout)
        }
    }

    /// The retry loop with this client's limits and logger.
    private var retries: Retries {
        Retries(maxRetries: configuration.maxRetries, policy: configuration.retryPolicy,
                timeout: configuration.timeout, logger: logger)
    }

    /// Hands a newer release announced by the server (`X-Muxi-SDK-Latest`) to the
    /// configuration's ``FormationConfiguration/onSDKUpdate``, at most once per process.
    private func noticeUpdate(in headers: [HTTPHeader]) {
        guard let handler = configuration.onSDKUpdate,
              let latest = headers.first(where: { $0.name.lowercased() == "x-muxi-sdk-latest" })?.value
        else { return }
        SDKUpdate.report(latest: latest, to: handler)
    }
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
