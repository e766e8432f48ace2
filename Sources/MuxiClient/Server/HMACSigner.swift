import Crypto
import struct Foundation.Data

/// Signs MUXI server requests: `Authorization: MUXI-HMAC key=…, timestamp=…, signature=…`,
/// the signature being base64(HMAC-SHA256(secret, "{timestamp};{METHOD};{path}")) over the
/// decoded path without its query, as the server checks it.
///
/// ```swift
/// let header = HMACSigner(keyID: "MUXI_0123", secretKey: "sk_…")
///     .authorization(method: "GET", target: "/rpc/formations?x=1", timestamp: 1764412800)
/// ```
package struct HMACSigner: Sendable {
    /// The key id (`MUXI_…`).
    package let keyID: String
    private let secretKey: String

    /// A signer for a key pair.
    package init(keyID: String, secretKey: String) {
        self.keyID = keyID
        self.secretKey = secretKey
    }

    /// The `Authorization` header value for a request to `target` (a path, with or without
    /// query, percent-encoded or not) at `timestamp` (Unix seconds).
    package func authorization(method: String, target: String, timestamp: Int) -> String {
        "MUXI-HMAC key=\(keyID), timestamp=\(timestamp), signature=\(signature(method: method, target: target, timestamp: timestamp))"
    }

    /// The base64 signature alone.
    package func signature(method: String, target: String, timestamp: Int) -> String {
        let message = "\(timestamp);\(method.uppercased());\(Self.signedPath(target))"
        let mac = HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: Array(secretKey.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// The path as the server sees it: query removed, percent-escapes decoded.
    static func signedPath(_ target: String) -> String {
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return percentDecoded(path)
    }

    static func percentDecoded(_ s: String) -> String {
        var out: [UInt8] = []
        let b = Array(s.utf8)
        var i = 0
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x41...0x46: return c - 0x41 + 10
            case 0x61...0x66: return c - 0x61 + 10
            default: return nil
            }
        }
        while i < b.count {
            if b[i] == 0x25, i + 2 < b.count, let h = hex(b[i + 1]), let l = hex(b[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
