import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// The real transport: async-http-client, which streams bodies as they arrive and closes the
/// connection when the reading task is cancelled (on Linux too).
///
/// ```swift
/// let client = try FormationClient(url: "http://127.0.0.1:8271", clientKey: key,
///                                  transport: AsyncHTTPClientTransport())
/// ```
public struct AsyncHTTPClientTransport: HTTPTransport {
    private let client: HTTPClient

    /// A transport on the process-wide shared `HTTPClient`, which needs no shutdown.
    public init() {
        self.client = HTTPClient.shared
    }

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
