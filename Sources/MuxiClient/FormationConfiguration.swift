public import Logging
public import Foundation

/// How a ``FormationClient`` reaches a formation and behaves.
///
/// Build one with ``FormationClient``'s initialisers; change fields after that as needed:
///
/// ```swift
/// var config = try FormationConfiguration(url: "http://127.0.0.1:8271", clientKey: "fmc_…")
/// config.userID = "alice@example.com"
/// config.maxRetries = 3
/// let client = FormationClient(configuration: config)
/// ```
public struct FormationConfiguration: Sendable {
    /// Whether a formation behind the server proxy is the deployed one or a `muxi up` draft.
    public enum Mode: String, Sendable, Hashable {
        /// `{server}/api/{id}/v1`
        case live
        /// `{server}/draft/{id}/v1`
        case draft
    }

    /// The API root, e.g. `http://127.0.0.1:8271/v1` (no trailing slash).
    public var baseURL: String
    /// The client key (`X-Muxi-Client-Key`): chat, sessions, triggers, users.
    public var clientKey: String?
    /// The admin key (`X-Muxi-Admin-Key`): agents, config, secrets, scheduler changes.
    public var adminKey: String?
    /// The user every user-scoped call acts for (`X-Muxi-User-ID`), unless a call names one.
    public var userID: String?
    /// The time limit of one request, from sending to the whole answer (default 30 s). For a
    /// stream it limits the wait for the response head only.
    public var timeout: Duration = .seconds(30)
    /// How many times a failed request is retried (429, 5xx, connection failures).
    public var maxRetries: Int = 2
    /// The delays between retries.
    public var retryPolicy = RetryPolicy()
    /// A stream that sends only keepalives for this long is given up and its answer fetched
    /// from the request status and the session (default 120 s).
    public var streamStallLimit: Duration = .seconds(120)
    /// A chat stream that sends nothing at all (not even keepalives) for this long is given
    /// up; the answer the server finished is then fetched as for a stall (default 90 s). The
    /// runtime sends a keepalive every second, except while it makes a file: its code runner
    /// blocks it, silently, for up to its 60 s limit, and a client that leaves during the turn
    /// may get it cancelled, so the limit stays above that.
    public var streamIdleTimeout: Duration = .seconds(90)
    /// Logs every request (`GET /v1/sessions -> 200 (0.012s)`) at debug level. Also turned on
    /// by the environment variable `MUXI_DEBUG` set to `1`, `true` or `yes`. Keys are never logged.
    public var debug: Bool = false
    /// Where debug logs go.
    public var logger = Logger(label: "muxi")
    /// What sends the requests.
    public var transport: any HTTPTransport = AsyncHTTPClientTransport()
    /// Called at most once per process when a MUXI server announces a newer Swift SDK
    /// (`X-Muxi-SDK-Latest`, sent on `/api/…` responses); never when the environment sets
    /// `MUXI_SDK_VERSION_NOTIFICATION=0`. The library itself prints nothing: a command-line
    /// tool can write the notice to stderr, a full-screen app should not show it at all.
    ///
    /// ```swift
    /// config.onSDKUpdate = { update in
    ///     FileHandle.standardError.write(Data("SDK \(update.latest) is out (this is \(update.current))\n".utf8))
    /// }
    /// ```
    public var onSDKUpdate: (@Sendable (SDKUpdate) -> Void)?

    /// A formation reached directly: `{url}/v1`.
    ///
    /// ```swift
    /// let c = try FormationConfiguration(url: "http://localhost:8001", clientKey: "fmc_…")
    /// ```
    public init(url: String, clientKey: String? = nil, adminKey: String? = nil) throws(MuxiError) {
        self.baseURL = try Self.validated(url) + "/v1"
        self.clientKey = clientKey
        self.adminKey = adminKey
    }

    /// A formation behind a MUXI server's proxy: `{server}/api/{id}/v1` (live) or
    /// `{server}/draft/{id}/v1` (draft).
    ///
    /// ```swift
    /// let c = try FormationConfiguration(serverURL: "http://localhost:7890", formationID: "my-assistant")
    /// ```
    public init(serverURL: String, formationID: String, mode: Mode = .live,
                clientKey: String? = nil, adminKey: String? = nil) throws(MuxiError) {
        guard !formationID.isEmpty else {
            throw MuxiError.configuration("NO_FORMATION", "a server URL needs a formation id")
        }
        let prefix = mode == .live ? "api" : "draft"
        self.baseURL = try Self.validated(serverURL) + "/\(prefix)/\(URLEncoding.component(formationID))/v1"
        self.clientKey = clientKey
        self.adminKey = adminKey
    }

    /// An API root used exactly as given (trailing slashes removed).
    ///
    /// ```swift
    /// let c = try FormationConfiguration(baseURL: "https://gateway.example.com/muxi/v1")
    /// ```
    public init(baseURL: String, clientKey: String? = nil, adminKey: String? = nil) throws(MuxiError) {
        self.baseURL = try Self.validated(baseURL)
        self.clientKey = clientKey
        self.adminKey = adminKey
    }

    /// A configuration from the same `MUXI_*` variables as the command line: `MUXI_URL` (a
    /// formation reached directly), or `MUXI_SERVER_URL` with `MUXI_FORMATION_ID` (behind a
    /// server), `MUXI_CLIENT_KEY`, `MUXI_ADMIN_KEY`, `MUXI_USER_ID`; `MUXI_DEBUG` as always.
    /// Throws a `configuration` ``MuxiError`` naming the variable to set when neither URL is.
    ///
    /// ```swift
    /// let formation = FormationClient(configuration: try .fromEnvironment())
    /// ```
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(MuxiError) -> FormationConfiguration {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        var configuration: FormationConfiguration
        if let url = value("MUXI_URL") {
            configuration = try FormationConfiguration(url: url)
        } else if let server = value("MUXI_SERVER_URL") {
            guard let id = value("MUXI_FORMATION_ID") else {
                throw MuxiError.configuration("NO_FORMATION", "MUXI_SERVER_URL is set but MUXI_FORMATION_ID is not: set the formation's id")
            }
            configuration = try FormationConfiguration(serverURL: server, formationID: id)
        } else {
            throw MuxiError.configuration("NO_URL", "set MUXI_URL (a formation), or MUXI_SERVER_URL and MUXI_FORMATION_ID (behind a server)")
        }
        configuration.clientKey = value("MUXI_CLIENT_KEY")
        configuration.adminKey = value("MUXI_ADMIN_KEY")
        configuration.userID = value("MUXI_USER_ID")
        return configuration
    }

    static func validated(_ url: String) throws(MuxiError) -> String {
        var s = url.trimmingCharactersInWhitespace
        while s.hasSuffix("/") { s.removeLast() }
        guard !s.isEmpty else { throw MuxiError.configuration("NO_URL", "no formation URL was given") }
        let lower = s.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            throw MuxiError.configuration("BAD_URL", "the URL \(s) must start with http:// or https://")
        }
        let host = s.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first ?? ""
        guard !host.isEmpty, !s.contains(" ") else {
            throw MuxiError.configuration("BAD_URL", "the URL \(s) has no host")
        }
        return s
    }

    var debugEnabled: Bool {
        if debug { return true }
        return Self.isOn(Environment.value("MUXI_DEBUG"))
    }

    /// Whether a flag variable's value turns it on: `1`, `true` or `yes` (any case).
    static func isOn(_ value: String?) -> Bool { ["1", "true", "yes"].contains((value ?? "").lowercased()) }
}

/// Exponential back-off with jitter between retries; a server's `Retry-After` wins.
///
/// ```swift
/// let p = RetryPolicy(initialDelay: .milliseconds(500), maxDelay: .seconds(30), jitter: 0.1)
/// p.delay(attempt: 2, retryAfter: nil) // about 2 s
/// ```
public struct RetryPolicy: Sendable, Hashable {
    /// The delay before the first retry.
    public var initialDelay: Duration
    /// No delay is longer than this (a `Retry-After` is capped by ``maxRetryAfter``).
    public var maxDelay: Duration
    /// The random part, as a fraction of the delay (0.1 = ±10 %).
    public var jitter: Double
    /// The longest `Retry-After` honoured; a longer one fails the call instead of waiting.
    public var maxRetryAfter: Duration

    /// A policy; the defaults follow the MUXI SDK conventions (0.5 s doubling to 30 s, ±10 %).
    public init(initialDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
                jitter: Double = 0.1, maxRetryAfter: Duration = .seconds(120)) {
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
        self.maxRetryAfter = maxRetryAfter
    }

    /// The wait before retry number `attempt` (0 for the first retry), or nil when the
    /// server asked for a wait longer than ``maxRetryAfter``.
    public func delay(attempt: Int, retryAfter: Double?, random: Double = Double.random(in: -1...1)) -> Duration? {
        if let retryAfter {
            guard retryAfter <= maxRetryAfter.seconds else { return nil }
            return .milliseconds(Int64(retryAfter * 1000))
        }
        let base = min(initialDelay.seconds * pow2(attempt), maxDelay.seconds)
        let jittered = max(0, base * (1 + jitter * random))
        return .milliseconds(Int64(jittered * 1000))
    }

    private func pow2(_ n: Int) -> Double { n >= 62 ? .infinity : Double(1 << max(0, n)) }
}
