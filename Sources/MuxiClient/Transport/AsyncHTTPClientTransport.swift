public import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOConcurrencyHelpers

/// The library's HTTP clients, one per read (idle) timeout in use, created when first
/// needed and never shut down: they live as long as the process, like `HTTPClient.shared`.
private let sharedClients = NIOLockedValueBox<[Duration?: HTTPClient]>([:])

private func sharedClient(idleTimeout: Duration?) -> HTTPClient {
    sharedClients.withLockedValue { clients in
        if let client = clients[idleTimeout] { return client }
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        configuration.timeout.read = idleTimeout.map { .nanoseconds(Int64($0.seconds * 1e9)) }
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        clients[idleTimeout] = client
        return client
    }
}

/// The real transport: async-http-client, which streams bodies as they arrive and closes the
/// connection when the reading task is cancelled (on Linux too).
///
/// ```swift
/// let client = try FormationClient(url: "http://127.0.0.1:8271", clientKey: key,
///                                  transport: AsyncHTTPClientTransport())
/// ```
public struct AsyncHTTPClientTransport: HTTPTransport {
    private let client: HTTPClient?

    /// A transport on this library's process-wide `HTTPClient`s, which need no shutdown.
    ///
    /// They use async-http-client's shared configuration with two changes: a connection that
    /// cannot be established fails the request at once (with "connection refused") instead of
    /// being retried until the deadline (``FormationClient`` retries by its own policy), and
    /// the read timeout is the request's ``HTTPRequest/idleTimeout``.
    public init() {
        self.client = nil
    }

    /// A transport on your own `HTTPClient` (you shut it down). Its read timeout applies
    /// instead of ``HTTPRequest/idleTimeout``.
    ///
    /// ```swift
    /// let transport = AsyncHTTPClientTransport(client: myClient)
    /// ```
    public init(client: HTTPClient) {
        self.client = client
    }

    /// Sends `request`; returns once the response head arrived.
    public func send(_ request: HTTPRequest, headTimeout: Duration) async throws -> HTTPResponse {
        let body = StreamedBody()
        let head: HTTPResponseHead
        do {
            var headers = HTTPHeaders()
            for header in request.headers { headers.add(name: header.name, value: header.value) }
            let outgoing = try HTTPClient.Request(url: request.url, method: HTTPMethod(rawValue: request.method),
                                                  headers: headers, body: request.body.map { .bytes($0) })
            let http = client ?? sharedClient(idleTimeout: request.idleTimeout)
            head = try await body.start(outgoing, on: http, headTimeout: .nanoseconds(Int64(headTimeout.seconds * 1e9)))
        } catch {
            body.abandon()
            throw Self.map(error, request: request, limit: headTimeout)
        }
        let reader = StreamedBodyReader(body) { error in
            Self.map(error, request: request, limit: request.idleTimeout ?? .seconds(0), midAnswer: true)
        }
        return HTTPResponse(status: Int(head.status.code),
                            headers: head.headers.map { HTTPHeader($0.name, $0.value) },
                            body: HTTPBody(reader))
    }

    /// The library's error for a transport failure. `midAnswer` is a failure while reading a
    /// body whose head arrived: the server was reached and the connection was then cut
    /// (`CONNECTION_CUT`), which a caller reports and may recover from differently from a
    /// server it could not reach (`CONNECTION_ERROR`).
    static func map(_ error: any Error, request: HTTPRequest, limit: Duration, midAnswer: Bool = false) -> any Error {
        if error is CancellationError || error is MuxiError { return error }
        let host = request.url.split(separator: "/").dropFirst().first.map(String.init) ?? request.url
        if let e = error as? HTTPClientError {
            switch e {
            case .readTimeout:
                return MuxiError(kind: .timeout, code: "STREAM_IDLE",
                                 message: MuxiError.idleMessage(request.idleTimeout ?? limit))
            case .deadlineExceeded, .connectTimeout, .writeTimeout:
                return MuxiError(kind: .timeout, code: "TIMEOUT",
                                 message: "no answer from \(host) within \(limit.seconds) s")
            case .cancelled:
                return CancellationError()
            default:
                break
            }
        }
        if midAnswer {
            return MuxiError(kind: .connection, code: "CONNECTION_CUT",
                             message: "the connection to \(host) was cut mid-answer: \(Self.describe(error))")
        }
        return MuxiError(kind: .connection, code: "CONNECTION_ERROR",
                         message: "cannot reach \(host): \(Self.describe(error))")
    }

    private static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("remoteConnectionClosed") { return "the server closed the connection" }
        return text.count > 160 ? String(text.prefix(160)) + "…" : text
    }
}
