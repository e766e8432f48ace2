import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOConcurrencyHelpers

/// What async-http-client's event loop reads for one request, handed to the task that reads
/// the body without a hop per read.
///
/// async-http-client's own async body lets one buffer wait at a time: each read stops the
/// event loop until the reading task takes it, and each take wakes the event loop to read
/// again (two thread wake-ups per read, 40 % of a fast stream's time in the kernel). Here the
/// event loop keeps reading into one pending array while the task works, up to
/// ``highWater`` bytes (then it waits for room: memory stays bounded when the task is slow);
/// the task takes everything pending in one go, and is woken only when it found nothing.
///
/// The delegate side runs on the event loop; the reading side on the body's task. All state
/// is behind one lock, so every wake-up happens exactly once.
final class StreamedBody: HTTPClientResponseDelegate, Sendable {
    typealias Response = Void

    /// Bytes read ahead of the reading task before the event loop stops reading.
    static let highWater = 1 << 20

    /// A response head, or why there is none.
    typealias Head = Result<HTTPResponseHead, any Error>

    private struct State {
        var head: CheckedContinuation<HTTPResponseHead, any Error>?
        var headResult: Head?
        var pending: [UInt8] = []
        var reader: CheckedContinuation<[UInt8]?, any Error>?
        /// The event loop waiting for room (``highWater`` reached).
        var paused: EventLoopPromise<Void>?
        /// How the body ended, once it has.
        var end: Result<Void, any Error>?
        var task: HTTPClient.Task<Void>?
        var headTimer: Scheduled<Void>?
    }

    private let state = NIOLockedValueBox(State())

    // MARK: Event loop side

    func didReceiveHead(task: HTTPClient.Task<Void>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        settleHead(.success(head))
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        enum Action {
            case give(CheckedContinuation<[UInt8]?, any Error>, [UInt8])
            case proceed
            case wait(EventLoopFuture<Void>)
        }
        let action = state.withLockedValue { s -> Action in
            if let reader = s.reader {
                s.reader = nil
                return .give(reader, Array(buffer.readableBytesView))
            }
            s.pending.append(contentsOf: buffer.readableBytesView)
            guard s.pending.count >= Self.highWater else { return .proceed }
            let promise = task.eventLoop.makePromise(of: Void.self)
            s.paused = promise
            return .wait(promise.futureResult)
        }
        switch action {
        case .give(let reader, let bytes):
            reader.resume(returning: bytes)
            return task.eventLoop.makeSucceededVoidFuture()
        case .proceed:
            return task.eventLoop.makeSucceededVoidFuture()
        case .wait(let room):
            return room
        }
    }

    func didReceiveError(task: HTTPClient.Task<Void>, _ error: any Error) {
        settleHead(.failure(error))
        end(.failure(error))
    }

    func didFinishRequest(task: HTTPClient.Task<Void>) throws {
        end(.success(()))
    }

    private func settleHead(_ result: Head) {
        let (waiting, timer) = state.withLockedValue { s in
            guard s.headResult == nil else { return (nil as CheckedContinuation<HTTPResponseHead, any Error>?, nil as Scheduled<Void>?) }
            s.headResult = result
            defer { s.head = nil; s.headTimer = nil }
            return (s.head, s.headTimer)
        }
        timer?.cancel()
        waiting?.resume(with: result)
    }

    private func end(_ result: Result<Void, any Error>) {
        let (reader, paused) = state.withLockedValue { s in
            if s.end == nil { s.end = result }
            defer { s.reader = nil; s.paused = nil }
            return (s.reader, s.paused)
        }
        paused?.succeed(())
        switch result {
        case .success: reader?.resume(returning: nil)
        case .failure(let error): reader?.resume(throwing: error)
        }
    }

    // MARK: Task side

    /// Starts `request` on `client`; returns once the head arrived, or fails the request when
    /// it has not within `headTimeout` (the body may then stream for as long as it likes).
    func start(_ request: HTTPClient.Request, on client: HTTPClient, headTimeout: TimeAmount) async throws -> HTTPResponseHead {
        let task = client.execute(request: request, delegate: self)
        let timer = task.eventLoop.scheduleTask(in: headTimeout) {
            task.fail(reason: HTTPClientError.deadlineExceeded)
        }
        let settled = state.withLockedValue { s in
            s.task = task
            if s.headResult == nil { s.headTimer = timer }
            return s.headResult != nil
        }
        if settled { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let ready = state.withLockedValue { s in
                    if s.headResult == nil { s.head = continuation }
                    return s.headResult
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            task.cancel()
        }
    }

    /// The bytes read since the last call, waiting when there are none; nil at the end.
    func next(isolation actor: isolated (any Actor)?) async throws -> [UInt8]? {
        if let ready = try take() { return ready.bytes }
        let task = state.withLockedValue { $0.task }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation(isolation: actor) { continuation in
                do {
                    let ready = try state.withLockedValue { s -> Taken? in
                        if let ready = try Self.take(&s) { return ready }
                        s.reader = continuation
                        return nil
                    }
                    if let ready {
                        ready.room?.succeed(())
                        continuation.resume(returning: ready.bytes)
                    }
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            task?.cancel()
        }
    }

    /// Stops the request: its body will not be read any further.
    func abandon() {
        let (task, paused) = state.withLockedValue { s in
            if s.end == nil { s.end = .failure(HTTPClientError.cancelled) }
            s.pending = []
            defer { s.paused = nil }
            return (s.task, s.paused)
        }
        task?.cancel()
        paused?.succeed(())
    }

    private struct Taken {
        var bytes: [UInt8]?
        var room: EventLoopPromise<Void>?
    }

    private func take() throws -> Taken? {
        let ready = try state.withLockedValue { try Self.take(&$0) }
        ready?.room?.succeed(())
        return ready
    }

    /// What the reader can have now: the pending bytes, or the end; nil when it must wait.
    private static func take(_ s: inout State) throws -> Taken? {
        if !s.pending.isEmpty {
            let bytes = s.pending
            s.pending = []
            defer { s.paused = nil }
            return Taken(bytes: bytes, room: s.paused)
        }
        guard let end = s.end else { return nil }
        try end.get()
        return Taken(bytes: nil, room: nil)
    }
}

/// The reading end of a ``StreamedBody``: a sequence of the chunks; dropping it (read to the
/// end or not) stops the request.
final class StreamedBodyReader: AsyncSequence, Sendable {
    typealias Element = [UInt8]

    private let body: StreamedBody
    private let mapError: @Sendable (any Error) -> any Error

    init(_ body: StreamedBody, mapError: @escaping @Sendable (any Error) -> any Error) {
        self.body = body
        self.mapError = mapError
    }

    deinit { body.abandon() }

    func makeAsyncIterator() -> Iterator { Iterator(reader: self) }

    struct Iterator: AsyncIteratorProtocol {
        let reader: StreamedBodyReader

        mutating func next() async throws -> [UInt8]? { try await next(isolation: nil) }

        mutating func next(isolation actor: isolated (any Actor)?) async throws(any Error) -> [UInt8]? {
            do { return try await reader.body.next(isolation: actor) } catch { throw reader.mapError(error) }
        }
    }
}
