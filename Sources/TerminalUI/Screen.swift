/// A colour role; the terminal layer maps roles to real colours (or to none under `NO_COLOR`).
public enum ColorRole: UInt8, Sendable, Hashable, CaseIterable {
    case normal, accent, muted, error, success, code, link, warning
}

/// How a cell is drawn.
///
/// ```swift
/// let title = Style(color: .accent, bold: true)
/// ```
public struct Style: Sendable, Hashable {
    public var color: ColorRole
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool
    public var underline: Bool
    public var italic: Bool

    public init(color: ColorRole = .normal, bold: Bool = false, dim: Bool = false, reverse: Bool = false,
                underline: Bool = false, italic: Bool = false) {
        self.color = color
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
        self.italic = italic
    }

    /// The default style.
    public static let plain = Style()
}

/// A rectangle of the screen, in columns and rows.
public struct Rect: Sendable, Hashable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }
    /// The rectangle shrunk by `n` on every side.
    public func inset(_ n: Int) -> Rect { Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n) }
}

/// One cell: a grapheme (base character and its combining marks) and its style. The cell to
/// the right of a wide character holds an empty `text`.
public struct Cell: Sendable, Hashable {
    public var text: String
    public var style: Style
    public init(_ text: String = " ", style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

/// A grid of cells that widgets draw into; the terminal layer writes only the cells that
/// changed. Text drawn here can never contain control characters: they are shown as visible
/// symbols (see ``ControlCharacters``).
///
/// ```swift
/// var screen = Screen(width: 20, height: 2)
/// screen.put("你好 world", x: 0, y: 0)
/// screen.lines() // ["你好 world", ""]
/// ```
public struct Screen: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should be (the composer's caret), if shown.
    public var cursor: (x: Int, y: Int)?
    /// Images the terminal draws over cells (left blank in ``cells``), with its graphics protocol.
    public var images: [ScreenImage] = []

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    public static func == (a: Screen, b: Screen) -> Bool {
        a.width == b.width && a.height == b.height && a.cells == b.cells && a.cursor?.x == b.cursor?.x && a.cursor?.y == b.cursor?.y
            && a.images == b.images
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Draws `text` on row `y` from column `x`, up to column `limit` (exclusive; default the
    /// screen's width); returns the column after the last one written. Newlines end the
    /// drawing; a wide character that does not fit is not drawn.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, limit: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let end = min(limit ?? width, width)
        var column = x
        var last = -1   // the cell a zero-width scalar joins
        for scalar in ControlCharacters.visible(text, keepingNewlines: false).unicodeScalars {
            let v = scalar.value
            if v == 0x200D { continue }   // zero-width joiners are dropped: wcwidth draws the parts
            let w = v >= 0x20 && v < 0x7F ? 1 : DisplayWidth.of(scalar)
            if w == 0 {
                if last >= 0 { cells[last].text.unicodeScalars.append(scalar) }
                continue
            }
            if column + w > end { break }
            if column >= 0 {
                last = y * width + column
                cells[last] = Cell(String(Character(scalar)), style: style)
                if w == 2 { cells[last + 1] = Cell("", style: style) }
            } else {
                last = -1
            }
            column += w
        }
        return column
    }

    /// Whether row `y` is the same on `other` (a screen of the same size): the terminal redraws
    /// only rows that changed.
    ///
    /// ```swift
    /// if screen.row(3, equals: previous) { /* skip it */ }
    /// ```
    public func row(_ y: Int, equals other: Screen) -> Bool {
        guard width == other.width, height == other.height, y >= 0, y < height else { return false }
        let start = y * width
        for i in start..<start + width where cells[i] != other.cells[i] { return false }
        return true
    }

    /// Restyles every occurrence of `needle` (ignoring case) on row `y` between columns `from`
    /// and `to` (exclusive): how search matches are shown.
    ///
    /// ```swift
    /// screen.highlight("tea", y: 3, from: 0, to: 40, style: Style(reverse: true))
    /// ```
    public mutating func highlight(_ needle: String, y: Int, from: Int, to: Int, style: Style) {
        let wanted = needle.lowercased().map { String($0) }
        guard !wanted.isEmpty, y >= 0, y < height else { return }
        var xs: [Int] = []
        for x in max(0, from)..<min(width, to) where !cells[y * width + x].text.isEmpty { xs.append(x) }
        let texts = xs.map { cells[y * width + $0].text.lowercased() }
        guard texts.count >= wanted.count else { return }
        for i in 0...(texts.count - wanted.count) where Array(texts[i..<i + wanted.count]) == wanted {
            for x in xs[i..<i + wanted.count] { cells[y * width + x].style = style }
        }
    }

    /// Fills `rect` with blanks of `style`.
    public mutating func fill(_ rect: Rect, style: Style = .plain) {
        for y in max(0, rect.y)..<min(height, rect.y + rect.height) {
            for x in max(0, rect.x)..<min(width, rect.x + rect.width) { cells[y * width + x] = Cell(" ", style: style) }
        }
    }

    /// The rows as plain text, trailing blanks removed: for tests and snapshots.
    public func lines() -> [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width { line += cells[y * width + x].text }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }
}
