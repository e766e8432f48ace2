import Foundation
import Logging

/// The one retry loop of the library, shared by ``FormationClient`` and ``ServerClient``:
/// an attempt is retried when it failed transiently (a connection error, a time-out, 408,
/// 429, 5xx but 501) and the call may be repeated, after the policy's back-off or the
/// server's `Retry-After`. The call's time-out bounds the whole loop: a retry that could
/// not finish in time is not started, and the time-out error says how many attempts ran.
struct Retries: Sendable {
    var maxRetries: Int
    var policy: RetryPolicy
    var timeout: Duration
    var logger: Logger

    /// Runs `attempt` up to `maxRetries + 1` times.
    /// `describe` names the call in logs and errors (`GET /v1/sessions`); statuses in
    /// `answering` are answers, not errors.
    func run<T: AttemptResult>(_ describe: String, retryable: Bool, answering: Set<Int> = [],
                               _ attempt: @Sendable () async throws -> T) async throws -> T {
        var tries = 0
        let deadline = ContinuousClock.now + timeout
        while true {
            let started = ContinuousClock.now
            var failure: MuxiError
            do {
                let result = try await withDeadline(deadline - started, attempts: tries + 1, describe, attempt)
                log(describe, status: result.status, since: started)
                guard !(200..<300).contains(result.status), !answering.contains(result.status) else { return result }
                let (headers, body) = await result.errorDetails()
                let retryAfter = headers.first { $0.name.lowercased() == "retry-after" }
                    .flatMap { RetryAfter.seconds(from: $0.value, now: Date()) }
                failure = MuxiError.fromResponse(status: result.status, body: body, retryAfter: retryAfter)
                if failure.isUnservedRoute {
                    throw MuxiError.unservedRoute(String(describe.split(separator: "?", maxSplits: 1)[0]))
                }
            } catch let error as MuxiError where error.kind == .connection || error.kind == .timeout {
                log(describe, status: nil, since: started)
                failure = error
            }
            guard retryable, failure.isTransient, tries < maxRetries,
                let delay = policy.delay(attempt: tries, retryAfter: failure.retryAfter),
                ContinuousClock.now + delay < deadline
            else { throw failure }
            tries += 1
            logger.debug("retry \(describe) after \(delay.seconds)s due to \(failure.statusCode == 0 ? failure.code : String(failure.statusCode))")
            try await Task.sleep(for: delay)
        }
    }

    /// Runs one attempt with `limit` left of the call's time-out.
    private func withDeadline<T: Sendable>(_ limit: Duration, attempts: Int, _ describe: String,
                                           _ operation: @Sendable () async throws -> T) async throws -> T {
        let total = timeout
        return try await withoutActuallyEscaping(operation) { operation in
            try await withThrowingTaskGroup(of: T.self) { group in
                let op = UncheckedBox(operation)
                group.addTask { try await op.value() }
                group.addTask {
                    try await Task.sleep(for: max(.zero, limit))
                    throw MuxiError(kind: .timeout, code: "TIMEOUT",
                                    message: "\(describe): no answer within \(total.seconds) s"
                                        + (attempts > 1 ? " (\(attempts) attempts)" : ""))
                }
                defer { group.cancelAll() }
                guard let first = try await group.next() else { throw CancellationError() }
                return first
            }
        }
    }

    /// `GET /v1/sessions -> 200 (0.012s)` at debug level: the method and the path, never a header.
    private func log(_ describe: String, status: Int?, since start: ContinuousClock.Instant) {
        guard logger.logLevel <= .debug else { return }
        let elapsed = (ContinuousClock.now - start).seconds
        logger.debug("\(describe) -> \(status.map(String.init) ?? "failed") (\(String(format: "%.3f", elapsed))s)")
    }
}

/// What one attempt of a request produced: a status, its headers, and for an error status
/// the headers and body to read the error from.
protocol AttemptResult: Sendable {
    var status: Int { get }
    var headers: [HTTPHeader] { get }
    func errorDetails() async -> (headers: [HTTPHeader], body: [UInt8])
}

/// A response read whole (JSON calls).
struct CollectedResponse: AttemptResult {
    let status: Int
    let headers: [HTTPHeader]
    let body: [UInt8]
    func errorDetails() async -> (headers: [HTTPHeader], body: [UInt8]) { (headers, body) }

    /// Sends `request` and reads the whole body.
    static func fetch(_ request: HTTPRequest, over transport: any HTTPTransport, headTimeout: Duration) async throws -> CollectedResponse {
        let response = try await transport.send(request, headTimeout: headTimeout)
        return CollectedResponse(status: response.status, headers: response.headers, body: try await response.collect())
    }
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
