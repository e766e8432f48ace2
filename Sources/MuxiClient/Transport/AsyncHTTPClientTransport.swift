public import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Never shut down: it lives as long as the process, like `HTTPClient.shared`.
private let sharedClient: HTTPClient = {
    var configuration = HTTPClient.Configuration.singletonConfiguration
    configuration.connectionPool.retryConnectionEstablishment = false
    configuration.timeout.connect = .seconds(10)
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
}()

/// The real transport: async-http-client, which streams bodies as they arrive and closes the
/// connection when the reading task is cancelled (on Linux too).
///
/// ```swift
/// let client = try FormationClient(url: "http://127.0.0.1:8271", clientKey: key,
///                                  transport: AsyncHTTPClientTransport())
/// ```
public struct AsyncHTTPClientTransport: HTTPTransport {
    private let client: HTTPClient

    /// A transport on this library's process-wide `HTTPClient`, which needs no shutdown.
    ///
    /// It is async-http-client's shared configuration with one change: a connection that
    /// cannot be established fails the request at once (with "connection refused") instead of
    /// being retried until the deadline; ``FormationClient`` retries by its own policy.
    public init() {
        self.client = sharedClient
    }

    /// A transport on your own `HTTPClient` (you shut it down).
    ///
    /// ```swift
    /// let transport = AsyncHTTPClientTransport(client: myClient)
    /// ```
    public init(client: HTTPClient) {
        self.client = client
    }

    /// Sends `request`; returns once the response head arrived.
    public func send(_ request: HTTPRequest, headTimeout: Duration) async throws -> HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(outgoing, timeout: .nanoseconds(Int64(headTimeout.seconds * 1e9)))
        } catch {
            throw Self.map(error, request: request, limit: headTimeout)
        }
        let (body, continuation) = HTTPBody.makeStream()
        let reader = Task {
            do {
                for try await buffer in response.body { continuation.yield(Array(buffer.readableBytesView)) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: Self.map(error, request: request, limit: headTimeout))
            }
        }
        continuation.onTermination = { _ in reader.cancel() }
        return HTTPResponse(status: Int(response.status.code),
                            headers: response.headers.map { HTTPHeader($0.name, $0.value) },
                            body: body)
    }

    static func map(_ error: any Error, request: HTTPRequest, limit: Duration) -> any Error {
        if error is CancellationError || error is MuxiError { return error }
        let host = request.url.split(separator: "/").dropFirst().first.map(String.init) ?? request.url
        if let e = error as? HTTPClientError {
            switch e {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                return MuxiError(kind: .timeout, code: "TIMEOUT",
                                 message: "no answer from \(host) within \(limit.seconds) s")
            case .cancelled:
                return CancellationError()
            default:
                break
            }
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
