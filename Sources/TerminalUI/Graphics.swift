/// A terminal graphics protocol, for drawing an image in the cells of a rectangle.
public enum GraphicsProtocol: String, Sendable, Equatable {
    /// kitty's graphics protocol (PNG sent as it is).
    case kitty
    /// iTerm2's inline images (the file sent as it is; also WezTerm).
    case iterm2
    /// DEC sixel (the picture decoded, scaled and sent as pixels; xterm -ti vt340, foot, mlterm…).
    case sixel
}

/// What the terminal said it can draw, and the size of a cell in pixels (for sixel).
public struct TerminalGraphics: Sendable, Equatable {
    public var graphicsProtocol: GraphicsProtocol
    public var cellWidth: Int
    public var cellHeight: Int
    public init(_ graphicsProtocol: GraphicsProtocol, cellWidth: Int = 10, cellHeight: Int = 20) {
        self.graphicsProtocol = graphicsProtocol
        self.cellWidth = max(1, cellWidth)
        self.cellHeight = max(1, cellHeight)
    }
}

/// Asks the terminal what it can draw, never guessing from `TERM` or the environment: a kitty
/// graphics query, XTVERSION (iTerm2 and WezTerm name themselves), the cell size (`CSI 16 t`)
/// and, last, primary device attributes (DA1), which every terminal answers, so its reply
/// marks the end of the replies; a `4` among its attributes means sixel.
///
/// ```swift
/// var probe = GraphicsProbe()
/// probe.feed(Array("\u{1B}_Gi=31;OK\u{1B}\\\u{1B}[?62;4c".utf8))
/// probe.isComplete      // true
/// probe.result          // TerminalGraphics(.kitty)
/// ```
public struct GraphicsProbe: Sendable {
    /// The queries, written once.
    public static let query = "\u{1B}_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\u{1B}\\" + "\u{1B}[>0q" + "\u{1B}[16t" + "\u{1B}[c"

    private var buffer: [UInt8] = []
    private var kitty = false, iterm = false, sixel = false
    private var cell: (width: Int, height: Int)?
    /// Whether the DA1 reply came (nothing more is expected).
    public private(set) var isComplete = false
    /// Bytes that were not part of a reply (keys typed meanwhile), in order.
    public private(set) var other: [UInt8] = []

    public init() {}

    /// Takes bytes read from the terminal.
    public mutating func feed(_ bytes: [UInt8]) {
        buffer += bytes
        while let start = buffer.firstIndex(of: 0x1B) {
            other += buffer[..<start]
            buffer.removeSubrange(..<start)
            guard let (length, reply) = Self.reply(buffer) else {
                if buffer.count > 4096 { other += buffer; buffer = [] }   // not a reply after all
                return
            }
            if !read(reply) { other += buffer[..<length] }   // a key (an arrow, Alt+x): kept
            buffer.removeSubrange(..<length)
        }
        other += buffer
        buffer = []
    }

    /// Ends the probe: what is left (an Esc typed last) counts as typed.
    public mutating func finish() {
        other += buffer
        buffer = []
    }

    /// The protocol to use (kitty, then iTerm2, then sixel), with the cell size when told.
    public var result: TerminalGraphics? {
        let chosen: GraphicsProtocol? = kitty ? .kitty : iterm ? .iterm2 : sixel ? .sixel : nil
        return chosen.map { TerminalGraphics($0, cellWidth: cell?.width ?? 10, cellHeight: cell?.height ?? 20) }
    }

    /// Uses the cell size the window reports (`TIOCGWINSZ` pixels over cells) when no reply gave one.
    public mutating func adopt(cellWidth: Int, cellHeight: Int) {
        if cell == nil, cellWidth > 0, cellHeight > 0 { cell = (cellWidth, cellHeight) }
    }

    private enum Reply { case apc(String), dcs(String), csi(String) }

    /// The length of the escape sequence at the start of `b` and what it says; nil while it is incomplete.
    private static func reply(_ b: [UInt8]) -> (Int, Reply?)? {
        guard b.count >= 2 else { return nil }
        switch b[1] {
        case 0x5F, 0x50:   // APC `ESC _`, DCS `ESC P`: up to ST (`ESC \`)
            var i = 2
            while i + 1 < b.count {
                if b[i] == 0x1B && b[i + 1] == 0x5C {
                    let body = String(decoding: b[2..<i], as: UTF8.self)
                    return (i + 2, b[1] == 0x5F ? .apc(body) : .dcs(body))
                }
                i += 1
            }
            return nil
        case 0x5B:   // CSI: parameters, then a final byte
            var i = 2
            while i < b.count {
                if (0x40...0x7E).contains(b[i]) { return (i + 1, .csi(String(decoding: b[2...i], as: UTF8.self))) }
                i += 1
            }
            return nil
        default:
            return (1, nil)   // a lone Esc (a key): passed on
        }
    }

    /// Reads one reply; false when it is none of the replies asked for (a key's sequence).
    private mutating func read(_ reply: Reply?) -> Bool {
        switch reply {
        case .apc(let body)?:
            if body.hasPrefix("Gi=31;") { kitty = body.hasSuffix("OK") }
            return body.hasPrefix("G")
        case .dcs(let body)?:
            if body.hasPrefix(">|") && (body.contains("iTerm2") || body.contains("WezTerm")) { iterm = true }
            return body.hasPrefix(">|")
        case .csi(let body)?:
            if body.hasPrefix("?") && body.hasSuffix("c") {
                sixel = body.dropFirst().dropLast().split(separator: ";").contains("4")
                isComplete = true
                return true
            } else if body.hasPrefix("6;") && body.hasSuffix("t") {
                let n = body.dropFirst(2).dropLast().split(separator: ";").compactMap { Int($0) }
                if n.count == 2, n[0] > 0, n[1] > 0 { cell = (n[1], n[0]) }
                return true
            }
            return false
        case nil:
            return false
        }
    }
}

/// An image the terminal draws over a rectangle of cells, with the bytes that draw it there
/// (already encoded for the terminal's protocol). Two are the same when their id and place
/// are: the bytes are not compared on every frame.
public struct ScreenImage: Sendable, Equatable {
    public var id: Int
    public var x: Int, y: Int, columns: Int, rows: Int
    public var payload: [UInt8]
    public var graphicsProtocol: GraphicsProtocol
    public init(id: Int, x: Int, y: Int, columns: Int, rows: Int, payload: [UInt8], graphicsProtocol: GraphicsProtocol) {
        self.id = id
        self.x = x
        self.y = y
        self.columns = columns
        self.rows = rows
        self.payload = payload
        self.graphicsProtocol = graphicsProtocol
    }
    /// The bytes that take a drawn image away again where the protocol has a way (kitty deletes
    /// it by id); for sixel and iTerm2 the cells are drawn over instead.
    public var removal: [UInt8] {
        graphicsProtocol == .kitty ? Array("\u{1B}_Ga=d,d=I,i=\(id),q=2\u{1B}\\".utf8) : []
    }

    public static func == (a: ScreenImage, b: ScreenImage) -> Bool {
        a.id == b.id && a.x == b.x && a.y == b.y && a.columns == b.columns && a.rows == b.rows
    }
}
