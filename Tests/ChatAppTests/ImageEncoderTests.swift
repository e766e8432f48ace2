import Testing
import Foundation
import TerminalUI
import TerminalImages

/// The bytes that draw a picture with each protocol, and the PNG decoding behind sixel.
@Suite struct ImageEncoderTests {
    /// A PNG of `w` × `h`: the left half red, the right half transparent.
    static func png(_ w: Int, _ h: Int) -> [UInt8] {
        func be(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 255), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }
        var raw: [UInt8] = []
        for _ in 0..<h {
            raw.append(0)
            for x in 0..<w { raw += x < w / 2 ? [255, 0, 0, 255] : [0, 0, 0, 0] }
        }
        // a stored (uncompressed) deflate stream in a zlib wrapper: blocks of at most 65,535 bytes
        var z: [UInt8] = [0x78, 0x01]
        var at = 0
        repeat {
            let n = min(65_535, raw.count - at)
            z += [at + n == raw.count ? 1 : 0, UInt8(n & 255), UInt8(n >> 8), UInt8(~n & 255), UInt8((~n >> 8) & 255)] + raw[at..<at + n]
            at += n
        } while at < raw.count
        var a = 1, b = 0
        for byte in raw { a = (a + Int(byte)) % 65_521; b = (b + a) % 65_521 }
        z += be(b << 16 | a)
        func chunk(_ kind: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(kind.utf8) + data
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in body {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            }
            return be(data.count) + body + be(Int(~crc))
        }
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", be(w) + be(h) + [8, 6, 0, 0, 0])
            + chunk("IDAT", z) + chunk("IEND", [])
    }

    @Test func pngIsDecodedAndNotPngIsNot() throws {
        let picture = try #require(PNGImage(decoding: Self.png(4, 2)))
        #expect(picture.width == 4 && picture.height == 2 && picture.pixels.count == 32)
        #expect(Array(picture.pixels[0..<4]) == [255, 0, 0, 255] && picture.pixels[15] == 0)
        #expect(PNGImage(decoding: Array("not a png at all".utf8)) == nil)
        var broken = Self.png(4, 2)
        broken.removeLast(30)   // the data cut short
        #expect(PNGImage(decoding: broken) == nil)
        var huge = Self.png(4, 2)
        huge.replaceSubrange(16..<24, with: [0, 1, 0, 0, 0, 1, 0, 0])   // claims 65,536 × 65,536
        #expect(PNGImage(decoding: huge) == nil)
    }

    @Test func kittyGetsThePNGInChunksWithAnId() throws {
        let file = Self.png(300, 200)
        let bytes = try #require(ImageEncoder.encode(file, format: "PNG", for: TerminalGraphics(.kitty), columns: 80, rows: 20, id: 7)?.payload)
        let text = String(decoding: bytes, as: UTF8.self)
        let parts = text.components(separatedBy: "\u{1B}\\").filter { !$0.isEmpty }
        #expect(parts.first?.hasPrefix("\u{1B}_Gf=100,a=T,t=d,i=7,c=30,r=10,C=1,q=2,m=") == true, "\(parts.first?.prefix(60) ?? "")")
        #expect(parts.last?.hasPrefix("\u{1B}_Gm=0;") == true && parts.dropLast().allSatisfy { $0.contains("m=1;") })
        let payload = parts.map { String($0[$0.index(after: $0.firstIndex(of: ";")!)...]) }.joined()
        #expect(Data(base64Encoded: payload).map { [UInt8]($0) } == file)
        #expect(ImageEncoder.encode(file, format: "JPEG", for: TerminalGraphics(.kitty), columns: 80, rows: 20, id: 7) == nil)
    }

    @Test func iTerm2GetsTheFileAsItIs() throws {
        let file = Self.png(16, 16)
        let bytes = try #require(ImageEncoder.encode(file, format: "PNG", for: TerminalGraphics(.iterm2), columns: 40, rows: 10, id: 1)?.payload)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("\u{1B}]1337;File=inline=1;size=\(file.count);width=2;height=1;preserveAspectRatio=1:") && text.hasSuffix("\u{07}"))
        #expect(ImageEncoder.encode(file, format: "WebP", for: TerminalGraphics(.iterm2), columns: 40, rows: 10, id: 1) == nil)
    }

    /// Decodes the sixel bands back into pixels (colour index per pixel, -1 undrawn).
    static func pixels(ofSixel bytes: [UInt8], width: Int, height: Int) -> [Int] {
        var out = [Int](repeating: -1, count: width * height)
        let text = Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
        guard let q = text.firstIndex(of: "q") else { return out }
        var i = q + 1, x = 0, band = 0, colour = 0
        func number() -> Int { var n = 0; while i < text.count, let d = Int(String(text[i])) { n = n * 10 + d; i += 1 }; return n }
        while i < text.count {
            let c = text[i]
            switch c {
            case "\"": i += 1; _ = number(); i += 1; _ = number(); i += 1; _ = number(); i += 1; _ = number()
            case "#":
                i += 1; colour = number()
                if i < text.count, text[i] == ";" { for _ in 0..<4 { i += 1; _ = number() } }
            case "$": x = 0; i += 1
            case "-": x = 0; band += 1; i += 1
            case "!":
                i += 1
                let run = number()
                let bits = Int(text[i].value) - 0x3F
                for _ in 0..<run { for r in 0..<6 where bits >> r & 1 == 1 && band * 6 + r < height { out[(band * 6 + r) * width + x] = colour }; x += 1 }
                i += 1
            case "\u{1B}": return out
            default:
                let bits = Int(c.value) - 0x3F
                if (0...63).contains(bits) {
                    for r in 0..<6 where bits >> r & 1 == 1 && band * 6 + r < height { out[(band * 6 + r) * width + x] = colour }
                    x += 1
                }
                i += 1
            }
        }
        return out
    }

    @Test func sixelDrawsThePixelsAndLeavesTheTransparentOnesUndrawn() throws {
        let file = Self.png(20, 13)   // 13 rows: three bands, the last one short
        let bytes = try #require(ImageEncoder.encode(file, format: "PNG", for: TerminalGraphics(.sixel, cellWidth: 10, cellHeight: 20),
                                                     columns: 10, rows: 5, id: 1)?.payload)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("\u{1B}P0;1;0q\"1;1;20;13") && text.hasSuffix("\u{1B}\\"))
        #expect(text.contains("#180;2;100;0;0"))   // red, the cube's 5,0,0: the only colour defined
        #expect(text.components(separatedBy: ";2;").count == 2)
        let px = Self.pixels(ofSixel: bytes, width: 20, height: 13)
        #expect((0..<13).allSatisfy { y in (0..<10).allSatisfy { px[y * 20 + $0] == 180 } && (10..<20).allSatisfy { px[y * 20 + $0] == -1 } })
    }

    @Test func aPictureIsNeverMagnifiedAndKeepsItsProportions() throws {
        let g = TerminalGraphics(.sixel, cellWidth: 10, cellHeight: 20)
        #expect(ImageEncoder.cells(Self.png(40, 40), for: g, columns: 100, rows: 50) == (4, 2))     // its own size
        #expect(ImageEncoder.cells(Self.png(1200, 600), for: g, columns: 60, rows: 50) == (60, 15))  // width-bound
        let image = try #require(ImageEncoder.encode(Self.png(1200, 600), format: "PNG", for: g, columns: 60, rows: 50, id: 1))
        #expect(image.columns == 60 && image.rows == 15 && image.id == 1 && image.graphicsProtocol == .sixel)
        let bytes = image.payload
        #expect(String(decoding: bytes.prefix(40), as: UTF8.self).contains("\"1;1;600;300"))
    }
}
