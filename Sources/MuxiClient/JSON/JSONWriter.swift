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

    /// The form the runtime signs webhooks in (orjson: compact, sorted keys, raw UTF-8, floats
    /// as orjson writes them): numbers re-written, so a body sent by another encoder (which
    /// writes `1e-05` where orjson writes `0.00001`) still matches its signature.
    ///
    /// ```swift
    /// JSONWriter.canonical(["x": .number(JSONNumber(text: "1e-05")!)])   // {"x":0.00001}
    /// ```
    public static func canonical(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, into: &out, canonicalNumbers: true)
        return out
    }

    static func write(_ value: JSONValue, into out: inout [UInt8], canonicalNumbers: Bool = false) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: (canonicalNumbers ? n.orjsonText : n.text).utf8)
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            out.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(0x2C) }
                write(item, into: &out, canonicalNumbers: canonicalNumbers)
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
                write(members[key] ?? .null, into: &out, canonicalNumbers: canonicalNumbers)
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

extension JSONNumber {
    /// The number as orjson (the runtime's encoder) writes it: an integer as sent; a float in
    /// its shortest round-trip digits, in fixed notation while its decimal point sits between
    /// 4 places left of the first digit and 16 right of it (`0.00001`, `1000000000000000.0`),
    /// else scientific with a signed exponent (`1e-7`, `1e+16`). Python writes `1e-05` where
    /// orjson writes `0.00001`: the only difference between the two.
    var orjsonText: String {
        guard text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let value = Double(text), value.isFinite else { return text }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        let shortest = "\(abs(value))"   // Swift's shortest round-trip form: "1e-05", "0.1", "1e+16"
        let parts = shortest.lowercased().split(separator: "e", maxSplits: 1)
        let mantissa = parts[0], exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let whole = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        var digits = Array(whole[0] + (whole.count > 1 ? whole[1] : ""))
        var point = whole[0].count + exponent   // the decimal point, after `point` digits
        while digits.first == "0" { digits.removeFirst(); point -= 1 }
        while digits.last == "0" { digits.removeLast() }
        let d = String(digits)
        var out = value.sign == .minus ? "-" : ""
        if point >= -4 && point <= 16 {
            if point <= 0 { out += "0." + String(repeating: "0", count: -point) + d }
            else if point >= d.count { out += d + String(repeating: "0", count: point - d.count) + ".0" }
            else { out += d.prefix(point) + "." + d.dropFirst(point) }
        } else {
            let e = point - 1
            out += String(d.prefix(1)) + (d.count > 1 ? "." + d.dropFirst() : "") + "e" + (e < 0 ? "-" : "+") + String(abs(e))
        }
        return out
    }
}
