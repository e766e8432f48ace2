/// Percent-encoding for URL path segments and query values: everything but RFC 3986's
/// unreserved characters is encoded, so `a+b@x.com` reaches the server intact.
///
/// ```swift
/// URLEncoding.component("a+b@x.com") // "a%2Bb%40x.com"
/// ```
package enum URLEncoding {
    /// `s` with every byte outside `A-Z a-z 0-9 - . _ ~` percent-encoded.
    package static func component(_ s: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            switch b {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: out.append(b)
            default: out.append(contentsOf: [0x25, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `name=value&…` with both sides encoded; nil values are left out.
    ///
    /// ```swift
    /// URLEncoding.query([("limit", "10"), ("q", "a b")]) // "limit=10&q=a%20b"
    /// ```
    package static func query(_ items: [(String, String?)]) -> String {
        items.compactMap { name, value in value.map { "\(component(name))=\(component($0))" } }
            .joined(separator: "&")
    }
}
