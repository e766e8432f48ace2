public import struct Foundation.Date
import Crypto

/// Verifies and parses the webhooks a formation sends (async completions, clarifications,
/// escalations).
///
/// ```swift
/// // In your HTTP handler, with the raw body bytes:
/// guard Webhook.verifySignature(payload: body, header: request.headers["X-Muxi-Signature"], secret: adminKey) else {
///     return .unauthorized
/// }
/// let event = try Webhook.parse(body)
/// if event.status == "completed" { print(event.content.compactMap(\.text).joined()) }
/// ```
public enum Webhook {
    /// The outcome of a signature check.
    public enum Verification: Sendable, Hashable {
        case valid
        /// No `X-Muxi-Signature` header.
        case missingHeader
        /// The header is not `t=<unix>,v1=<hex>`.
        case malformedHeader
        /// The timestamp is outside the tolerance (older, or in the future).
        case outsideTolerance(seconds: Double)
        /// No `v1` signature matches.
        case mismatch
        /// This exact signature was accepted before (see ``WebhookReplayGuard``).
        case replayed
    }

    /// Checks `X-Muxi-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>` in
    /// constant time. The raw bytes are tried first, then the runtime's canonical JSON of the
    /// body (compact, sorted keys), because the runtime signs the canonical form but sends
    /// another encoding. Repeated or unknown parts never trap; any matching `v1` counts. With
    /// `replays`, a signature already accepted is refused as `.replayed`.
    ///
    /// ```swift
    /// let replays = WebhookReplayGuard()   // one for the life of your server
    /// let v = Webhook.verify(payload: body, header: sig, secret: key, tolerance: .seconds(300), now: Date(), replays: replays)
    /// ```
    public static func verify(payload: [UInt8], header: String?, secret: String,
                              tolerance: Duration = .seconds(300), now: Date = Date(),
                              replays: WebhookReplayGuard? = nil) -> Verification {
        guard let header, !header.isEmpty else { return .missingHeader }
        guard let parts = WebhookSignatureHeader(header) else { return .malformedHeader }
        let t = parts.timestamp, signatures = parts.signatures
        let age = now.timeIntervalSince1970 - Double(t)
        guard abs(age) <= tolerance.seconds else { return .outsideTolerance(seconds: age) }
        let key = SymmetricKey(data: Array(secret.utf8))
        func matches(_ body: [UInt8]) -> Bool {
            let expected = Array(HMAC<SHA256>.authenticationCode(for: Array("\(t).".utf8) + body, using: key))
            var found = false
            for candidate in signatures where constantTimeEqual(candidate, expected) { found = true }
            return found
        }
        guard matches(payload) || (try? JSONValue(parsing: payload)).map({ matches(JSONWriter.canonical($0)) }) == true else { return .mismatch }
        if let replays, !replays.firstUse(of: parts, now: now, tolerance: tolerance) { return .replayed }
        return .valid
    }

    /// Whether the signature is valid (see ``verify(payload:header:secret:tolerance:now:replays:)``).
    ///
    /// ```swift
    /// guard Webhook.verifySignature(payload: body, header: sig, secret: key) else { return 401 }
    /// ```
    public static func verifySignature(payload: [UInt8], header: String?, secret: String,
                                       tolerance: Duration = .seconds(300), now: Date = Date(),
                                       replays: WebhookReplayGuard? = nil) -> Bool {
        verify(payload: payload, header: header, secret: secret, tolerance: tolerance, now: now, replays: replays) == .valid
    }

    /// Parses a webhook body of any of the runtime's shapes into a ``WebhookEvent``.
    ///
    /// ```swift
    /// let event = try Webhook.parse(body)
    /// ```
    public static func parse(_ payload: [UInt8]) throws(MuxiError) -> WebhookEvent {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: payload)
        } catch {
            throw MuxiError(kind: .validation, code: "INVALID_WEBHOOK", message: "the webhook body is not JSON: \(error)")
        }
        guard json.objectValue != nil else {
            throw MuxiError(kind: .validation, code: "INVALID_WEBHOOK", message: "the webhook body is not a JSON object")
        }
        return WebhookEvent(json: json)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}

