/// The parts of an `X-Muxi-Signature` header, `t=<unix seconds>,v1=<hex HMAC-SHA256>`:
/// exactly one timestamp, and every well-formed `v1` signature (a key rotation can send
/// several). Unknown parts are ignored; repeated, odd or broken ones never trap.
///
/// ```swift
/// let parts = WebhookSignatureHeader("t=1795956456,v1=5f2b…")
/// parts?.timestamp   // 1795956456
/// ```
public struct WebhookSignatureHeader: Sendable, Hashable {
    public let timestamp: Int
    public let signatures: [[UInt8]]

    /// Nil when the header has no single integer `t` or no 64-hex-digit `v1`.
    public init?(_ header: String) {
        var timestamps: [String] = []
        var signatures: [[UInt8]] = []
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: "=", maxSplits: 1)
            guard pieces.count == 2 else { continue }
            let key = String(pieces[0]).trimmingCharactersInWhitespace, value = String(pieces[1]).trimmingCharactersInWhitespace
            if key == "t" { timestamps.append(value) }
            if key == "v1", let bytes = Self.hexBytes(value), bytes.count == 32 { signatures.append(bytes) }
        }
        guard timestamps.count == 1, let t = Int(timestamps[0]), !signatures.isEmpty else { return nil }
        timestamp = t
        self.signatures = signatures
    }

    static func hexBytes(_ s: String) -> [UInt8]? {
        let b = Array(s.utf8)
        guard b.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(b.count / 2)
        var i = 0
        while i < b.count {
            guard let h = nibble(b[i]), let l = nibble(b[i + 1]) else { return nil }
            out.append(h << 4 | l)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}
