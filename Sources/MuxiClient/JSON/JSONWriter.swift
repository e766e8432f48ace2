/// Writes ``JSONValue``s as compact JSON text.
///
/// Keys are written in sorted order, so output is stable; this also makes the output the
/// canonical form the MUXI runtime signs webhooks with (orjson, compact, sorted keys, raw
/// UTF-8, numbers as sent).
///
/// ```swift
/// let bytes = JSONWriter.bytes(["b": 1, "a": "x"])   // {"a":"x","b":1}
/// ```
public enum JSONWriter {
    /// The compact, key-sorted UTF-8 encoding of `value`.
    ///
    /// ```swift
    /// let body = JSONWriter.bytes(["message": "hi"])
    /// ```
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, into: &out)
        return out
    }

    /// The compact, key-sorted encoding of `value` as a `String`.
    ///
    /// ```swift
    /// JSONWriter.string([1, true]) // "[1,true]"
    /// ```
    public static func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.text.utf8)
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            out.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(0x2C) }
                write(item, into: &out)
            }
            out.append(0x5D)
        case .object(let members):
            out.append(0x7B)
            // orjson sorts keys by their UTF-8 bytes (Python str order is by code point, which
            // is the same order).
            for (i, key) in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if i > 0 { out.append(0x2C) }
                writeString(key, into: &out)
                out.append(0x3A)
                write(members[key] ?? .null, into: &out)
            }
            out.append(0x7D)
        }
    }

    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0x08: out.append(contentsOf: [0x5C, 0x62])
            case 0x0C: out.append(contentsOf: [0x5C, 0x66])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: out.append(b)
            }
        }
        out.append(0x22)
    }
}
