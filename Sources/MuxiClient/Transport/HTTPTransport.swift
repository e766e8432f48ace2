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
    /// The longest silence allowed while the body streams in: nothing received for this
    /// long fails the body with a ``MuxiError/Kind/timeout``. Nil means no limit.
    public var idleTimeout: Duration?

    /// A request.
    public init(method: String, url: String, headers: [HTTPHeader] = [], body: [UInt8]? = nil,
                idleTimeout: Duration? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.idleTimeout = idleTimeout
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

/// A response body: chunks of bytes as they arrive, read by the task that iterates it (on its
/// actor, with no hand-off per chunk where the transport allows). Ending the iteration, or
/// cancelling the task that iterates, closes the connection.
///
/// ```swift
/// let body = HTTPBody(AsyncThrowingStream { continuation in … })
/// for try await chunk in body { consume(chunk) }
/// ```
public struct HTTPBody: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    private let makeIterator: @Sendable () -> Iterator

    /// A body that reads `sequence`, converting each element with `bytes`.
    public init<Base: AsyncSequence & Sendable>(_ sequence: Base, bytes: @escaping @Sendable (Base.Element) -> [UInt8]) {
        makeIterator = { Iterator(IteratorBox(sequence.makeAsyncIterator(), bytes)) }
    }

    /// A body that reads a sequence of byte arrays.
    public init<Base: AsyncSequence & Sendable>(_ sequence: Base) where Base.Element == [UInt8] {
        self.init(sequence, bytes: { $0 })
    }

    /// Starts reading.
    public func makeAsyncIterator() -> Iterator { makeIterator() }

    /// Reads the chunks.
    public struct Iterator: AsyncIteratorProtocol {
        fileprivate let box: any ChunkReading

        fileprivate init(_ box: any ChunkReading) { self.box = box }

        /// The next chunk, nil at the end.
        public mutating func next() async throws -> [UInt8]? { try await box.next(isolation: nil) }

        /// The next chunk, read on `actor`.
        @available(macOS 15.0, *)
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(any Error) -> [UInt8]? {
            try await box.next(isolation: actor)
        }
    }
}

private protocol ChunkReading: AnyObject {
    func next(isolation actor: isolated (any Actor)?) async throws -> [UInt8]?
}

/// Holds the transport's iterator. `@unchecked Sendable`: it is owned by one ``HTTPBody/Iterator``
/// and so used by one task at a time, which is what iterating an `AsyncSequence` requires anyway.
private final class IteratorBox<Base: AsyncIteratorProtocol>: ChunkReading, @unchecked Sendable {
    var base: Base
    let bytes: (Base.Element) -> [UInt8]

    init(_ base: Base, _ bytes: @escaping (Base.Element) -> [UInt8]) {
        self.base = base
        self.bytes = bytes
    }

    func next(isolation actor: isolated (any Actor)?) async throws -> [UInt8]? {
        let element: Base.Element?
        if #available(macOS 15.0, *) {
            element = try await base.next(isolation: actor)
        } else {
            element = try await base.next()
        }
        return element.map(bytes)
    }
}

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
    /// A body that fails with a time-out when no chunk arrives for `limit`, for transports
    /// that cannot enforce ``HTTPRequest/idleTimeout`` themselves. It reads in a task of its
    /// own, so each chunk costs a hand-off.
    ///
    /// ```swift
    /// let guarded = response.body.failingWhenIdle(for: .seconds(30))
    /// ```
    public func failingWhenIdle(for limit: Duration) -> HTTPBody {
        let (output, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
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
                        message: MuxiError.idleMessage(limit)))
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
        return HTTPBody(output)
    }
}
