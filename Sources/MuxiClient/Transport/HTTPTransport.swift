/// One HTTP header.
///
/// ```swift
/// let h = HTTPHeader("X-Muxi-User-ID", "alice")
/// ```
public struct HTTPHeader: Sendable, Hashable {
    /// The name.
    public var name: String
    /// The value.
    public var value: String
    /// A header.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A request as the transport sends it.
///
/// ```swift
/// let r = HTTPRequest(method: "GET", url: "http://127.0.0.1:8271/v1/health")
/// ```
public struct HTTPRequest: Sendable, Hashable {
    /// The HTTP method.
    public var method: String
    /// The full URL, already percent-encoded.
    public var url: String
    /// The headers.
    public var headers: [HTTPHeader]
    /// The body.
    public var body: [UInt8]?

    /// A request.
    public init(method: String, url: String, headers: [HTTPHeader] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, compared case-insensitively.
    ///
    /// ```swift
    /// request.header("x-muxi-user-id")
    /// ```
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The path and query of ``url``.
    public var target: String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        return rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "/"
    }
}

/// A response body: chunks of bytes as they arrive. Ending the iteration (or cancelling the
/// task that iterates) closes the connection.
public typealias HTTPBody = AsyncThrowingStream<[UInt8], any Error>

/// A response whose head has arrived; the body streams.
///
/// ```swift
/// let response = try await transport.send(request, headTimeout: .seconds(30))
/// for try await chunk in response.body { consume(chunk) }
/// ```
public struct HTTPResponse: Sendable {
    /// The status as the server reports it.
    public var status: Int
    /// The headers.
    public var headers: [HTTPHeader]
    /// The body.
    public var body: HTTPBody

    /// A response.
    public init(status: Int, headers: [HTTPHeader], body: HTTPBody) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The whole body, refusing more than `limit` bytes.
    ///
    /// ```swift
    /// let bytes = try await response.collect(upTo: 1 << 20)
    /// ```
    public func collect(upTo limit: Int = 64 << 20) async throws -> [UInt8] {
        var all: [UInt8] = []
        for try await chunk in body {
            guard all.count + chunk.count <= limit else {
                throw MuxiError.invalidResponse("the response is larger than \(limit) bytes", status: status)
            }
            all.append(contentsOf: chunk)
        }
        return all
    }
}

/// What sends HTTP requests. ``AsyncHTTPClientTransport`` is the real one; tests use the
/// scripted one from `MuxiClientTesting`.
///
/// A transport throws ``MuxiError`` with kind ``MuxiError/Kind/connection`` when the server
/// cannot be reached and ``MuxiError/Kind/timeout`` when the head does not arrive in time.
///
/// ```swift
/// struct Recording: HTTPTransport {
///     func send(_ request: HTTPRequest, headTimeout: Duration) async throws -> HTTPResponse { … }
/// }
/// ```
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns once the response head arrived (within `headTimeout`).
    func send(_ request: HTTPRequest, headTimeout: Duration) async throws -> HTTPResponse
}

extension HTTPBody {
    /// A body that fails with a time-out when no chunk arrives for `limit`.
    ///
    /// ```swift
    /// let guarded = response.body.failingWhenIdle(for: .seconds(30))
    /// ```
    public func failingWhenIdle(for limit: Duration) -> HTTPBody {
        let (output, continuation) = HTTPBody.makeStream()
        let lastChunk = LockedClock()
        let pump = Task {
            do {
                for try await chunk in self {
                    lastChunk.touch()
                    continuation.yield(chunk)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        let watchdog = Task {
            while !Task.isCancelled {
                let deadline = lastChunk.last + limit
                if ContinuousClock.now >= deadline {
                    continuation.finish(throwing: MuxiError(
                        kind: .timeout, code: "STREAM_IDLE",
                        message: "the server sent nothing for \(limit.seconds) s"))
                    pump.cancel()
                    return
                }
                try? await Task.sleep(until: deadline, clock: .continuous)
            }
        }
        continuation.onTermination = { _ in
            pump.cancel()
            watchdog.cancel()
        }
        return output
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
