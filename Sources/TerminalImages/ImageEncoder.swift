import Foundation
public import TerminalUI

/// The bytes that draw a picture file over `columns` × `rows` cells with a terminal's graphics
/// protocol, written at the rectangle's top-left corner. The picture keeps its proportions and
/// is never drawn larger than it is.
///
/// - kitty: a PNG is sent as it is (`f=100`), in 4096-byte base64 chunks, with an id to delete it by;
/// - iTerm2: the file is sent as it is (PNG, JPEG, GIF);
/// - sixel: a PNG is decoded, scaled to the cells' pixels and written in the 6×6×6 colour cube.
///
/// Formats a protocol does not take (a JPEG for kitty or sixel) give nil: the caller shows a
/// placeholder instead. The image is placed at the origin; the layout moves it where it goes.
///
/// ```swift
/// let image = ImageEncoder.encode(png, format: "PNG", for: TerminalGraphics(.sixel), columns: 60, rows: 20, id: 7)
/// image?.columns   // the cells it covers: at most 60
/// ```
public enum ImageEncoder {
    public static func encode(_ file: [UInt8], format: String, for graphics: TerminalGraphics,
                              columns: Int, rows: Int, id: Int) -> ScreenImage? {
        guard columns > 0, rows > 0, !file.isEmpty else { return nil }
        let payload: [UInt8], covered: (columns: Int, rows: Int)
        switch graphics.graphicsProtocol {
        case .kitty:
            guard format == "PNG", let size = PNGHeader.size(file) else { return nil }
            covered = fit(size, columns: columns, rows: rows, graphics)
            payload = kitty(file, columns: covered.columns, rows: covered.rows, id: id)
        case .iterm2:
            guard ["PNG", "JPEG", "GIF"].contains(format) else { return nil }
            covered = cells(file, for: graphics, columns: columns, rows: rows)
            let body = Data(file).base64EncodedString()
            payload = Array("\u{1B}]1337;File=inline=1;size=\(file.count);width=\(covered.columns);height=\(covered.rows);preserveAspectRatio=1:\(body)\u{07}".utf8)
        case .sixel:
            guard format == "PNG", let picture = PNGImage(decoding: file) else { return nil }
            let size = (width: picture.width, height: picture.height)
            covered = fit(size, columns: columns, rows: rows, graphics)
            let s = scale(size, columns: columns, rows: rows, graphics)
            payload = Sixel.encode(picture, width: max(1, Int(Double(size.width) * s)), height: max(1, Int(Double(size.height) * s)))
        }
        return ScreenImage(id: id, x: 0, y: 0, columns: covered.columns, rows: covered.rows, payload: payload,
                           graphicsProtocol: graphics.graphicsProtocol)
    }

    /// The cells `file` covers when drawn in at most `columns` × `rows` (all of them when its
    /// size is not known from its header).
    public static func cells(_ file: [UInt8], for graphics: TerminalGraphics, columns: Int, rows: Int) -> (columns: Int, rows: Int) {
        PNGHeader.size(file).map { fit($0, columns: columns, rows: rows, graphics) } ?? (columns, rows)
    }

    /// How much a picture of `size` pixels is scaled to fit `columns` × `rows` cells: proportions
    /// kept, never magnified.
    static func scale(_ size: (width: Int, height: Int), columns: Int, rows: Int, _ g: TerminalGraphics) -> Double {
        min(Double(columns * g.cellWidth) / Double(size.width), Double(rows * g.cellHeight) / Double(size.height), 1)
    }

    /// The cells the scaled picture covers.
    static func fit(_ size: (width: Int, height: Int), columns: Int, rows: Int, _ g: TerminalGraphics) -> (columns: Int, rows: Int) {
        let s = scale(size, columns: columns, rows: rows, g)
        let c = Int((Double(size.width) * s / Double(g.cellWidth)).rounded(.up))
        let r = Int((Double(size.height) * s / Double(g.cellHeight)).rounded(.up))
        return (min(columns, max(1, c)), min(rows, max(1, r)))
    }

    static func kitty(_ png: [UInt8], columns: Int, rows: Int, id: Int) -> [UInt8] {
        let body = Array(Data(png).base64EncodedString().utf8)
        var out: [UInt8] = []
        var start = 0
        repeat {
            let end = min(start + 4096, body.count)
            let more = end < body.count ? 1 : 0
            let control = start == 0 ? "f=100,a=T,t=d,i=\(id),c=\(columns),r=\(rows),C=1,q=2,m=\(more)" : "m=\(more)"
            out += Array("\u{1B}_G\(control);".utf8) + body[start..<end] + Array("\u{1B}\\".utf8)
            start = end
        } while start < body.count
        return out
    }
}

/// The width and height a PNG's header states.
enum PNGHeader {
    static func size(_ b: [UInt8]) -> (width: Int, height: Int)? {
        guard b.count >= 24, b.starts(with: [0x89, 0x50, 0x4E, 0x47]) else { return nil }
        func be(_ at: Int) -> Int { b[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        let w = be(16), h = be(20)
        return w > 0 && h > 0 ? (w, h) : nil
    }
}

/// DEC sixel: six pixel rows a band, each colour of a band a run-length-encoded line of
/// characters `?`…`~` (6 bits: which of the six rows have the colour), `$` back to the start
/// of the band, `-` to the next. Colours are the 216 of the 6×6×6 cube, with a 4×4 ordered
/// dither so that gradients do not band; transparent pixels are left undrawn (`P2 = 1`).
enum Sixel {
    /// The 4×4 Bayer matrix, as thresholds in 0..<255 between two cube levels.
    static let bayer: [Int] = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5].map { ($0 * 2 + 1) * 255 / 32 }

    static func encode(_ picture: PNGImage, width: Int, height: Int) -> [UInt8] {
        // nearest-neighbour scaling, alpha over black, each pixel its cube index (or -1: transparent)
        var index = [Int16](repeating: -1, count: width * height)
        for y in 0..<height {
            let sy = min(picture.height - 1, y * picture.height / height)
            for x in 0..<width {
                let sx = min(picture.width - 1, x * picture.width / width)
                let p = (sy * picture.width + sx) * 4
                let a = Int(picture.pixels[p + 3])
                if a < 64 { continue }
                let threshold = bayer[(y % 4) * 4 + x % 4]
                func level(_ v: UInt8) -> Int { min(5, (Int(v) * a / 255 * 5 + threshold) / 255) }
                index[y * width + x] = Int16(level(picture.pixels[p]) * 36 + level(picture.pixels[p + 1]) * 6 + level(picture.pixels[p + 2]))
            }
        }
        var out = Array("\u{1B}P0;1;0q\"1;1;\(width);\(height)".utf8)
        var used = [Bool](repeating: false, count: 216)
        for i in index where i >= 0 { used[Int(i)] = true }
        for c in 0..<216 where used[c] {
            let r = c / 36, g = c / 6 % 6, b = c % 6
            out += Array("#\(c);2;\(r * 20);\(g * 20);\(b * 20)".utf8)
        }
        // per band, each colour's six-bit columns, made in one pass over the band's pixels
        var bits = [UInt8](repeating: 0, count: 216 * width)
        var band = 0
        while band * 6 < height {
            var colours = [Bool](repeating: false, count: 216)
            let top = band * 6, bottom = min(height, top + 6)
            for y in top..<bottom {
                for x in 0..<width {
                    let c = Int(index[y * width + x])
                    if c >= 0 { bits[c * width + x] |= 1 << UInt8(y - top); colours[c] = true }
                }
            }
            var first = true
            for c in 0..<216 where colours[c] {
                if !first { out.append(0x24) }   // $
                first = false
                out += Array("#\(c)".utf8)
                var run = 0
                var last: UInt8 = 0
                func flush() {
                    guard run > 0 else { return }
                    if run > 3 { out += Array("!\(run)".utf8); out.append(last) } else { out += Array(repeating: last, count: run) }
                }
                for x in 0..<width {
                    let ch = 0x3F + bits[c * width + x]
                    bits[c * width + x] = 0
                    if ch == last { run += 1 } else { flush(); last = ch; run = 1 }
                }
                flush()
            }
            out.append(0x2D)   // -
            band += 1
        }
        out += Array("\u{1B}\\".utf8)
        return out
    }
}
