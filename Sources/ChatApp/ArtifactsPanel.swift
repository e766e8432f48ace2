public import Foundation
public import TerminalUI
import MuxiClient

/// The files this session's answers made (`/artifacts`): Enter shows one, `o` opens it with the
/// system's opener, `s` saves a copy in the folder the app was started in.
public struct ArtifactsPanel: Sendable, Equatable {
    public var items: [ProducedFile]
    public var selection = ListSelection()
    /// The file shown (Enter), with how far it is scrolled.
    public var view: ArtifactView?
    /// The line about the last action.
    public var note: Notice?

    public init(items: [ProducedFile]) { self.items = items }

    /// The panel's keys, for the footer and the help.
    public static let keys: [(key: String, does: String)] = [
        ("Enter", "show"), ("o", "open with the system's opener"), ("s", "save a copy here"), ("Esc", "back / close"),
    ]
}

/// One file shown in the ``ArtifactsPanel``.
public struct ArtifactView: Sendable, Equatable {
    public var file: ProducedFile
    public var content: ArtifactContent?
    public var offset = 0
    /// An image drawn with the terminal's graphics protocol (placed by the layout), when the
    /// terminal said it has one and the format is one it takes.
    public var picture: ScreenImage?
    /// Why an image is not drawn (no graphics protocol, a format it does not take), shown under it.
    public var pictureNote: String?
    public init(file: ProducedFile) { self.file = file }
}

/// What a file holds, as the viewer shows it: decided from its bytes, never from the type it
/// claims alone (a `.png` holding text is shown as text; image bytes that are not an image are
/// a placeholder).
public enum ArtifactContent: Sendable, Equatable {
    /// Markdown, rendered.
    case markdown(String)
    /// Text or code, as it is (control characters shown, never obeyed).
    case text(String)
    /// CSV or TSV: rows of cells, drawn as an aligned table.
    case table([[String]])
    /// An image: its format and size in pixels when its header says. Drawn with the terminal's
    /// graphics protocol when it has one (see ``ArtifactView/picture``), else a placeholder.
    case image(format: String, width: Int?, height: Int?, bytes: Int)
    /// Bytes that are not text.
    case binary(bytes: Int)
    /// The file could not be read.
    case unreadable(String)

    /// The most of a file the viewer reads.
    public static let limit = 1 << 20

    /// What `data` (the first ``limit`` bytes of a file named `name`, `total` bytes long) holds.
    ///
    /// ```swift
    /// ArtifactContent.of(Data("a,b\n1,2\n".utf8), name: "t.csv", total: 8)   // .table([["a", "b"], ["1", "2"]])
    /// ```
    public static func of(_ data: Data, name: String, total: Int) -> ArtifactContent {
        let head = [UInt8](data.prefix(32))
        if let image = image(head, bytes: total) { return image }
        guard let text = String(data: data, encoding: .utf8) ?? (total > data.count ? String(decoding: data, as: UTF8.self) : nil),
              !head.contains(0) else { return .binary(bytes: total) }
        let ext = (name as NSString).pathExtension.lowercased()
        switch ext {
        case "md", "markdown": return .markdown(text)
        case "csv", "tsv":
            let separator: Character = ext == "tsv" ? "\t" : ","
            return .table(text.split(whereSeparator: \.isNewline).prefix(2000).map { cells(String($0), separator) })
        case "json":
            if let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
               let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .fragmentsAllowed]) {
                return .text(String(decoding: pretty, as: UTF8.self))
            }
            return .text(text)
        default: return .text(text)
        }
    }

    /// The cells of one CSV line (quoted cells may hold the separator and `""`).
    static func cells(_ line: String, _ separator: Character) -> [String] {
        var cells: [String] = [], cell = "", quoted = false
        var chars = line.makeIterator()
        while let c = chars.next() {
            if quoted {
                if c == "\"" { quoted = false } else { cell.append(c) }
            } else if c == "\"" {
                if cell.last == "\"" { quoted = true } else if cell.isEmpty { quoted = true } else { cell.append(c) }
            } else if c == separator {
                cells.append(cell)
                cell = ""
            } else {
                cell.append(c)
            }
        }
        cells.append(cell)
        return cells
    }

    static func image(_ b: [UInt8], bytes: Int) -> ArtifactContent? {
        func be(_ i: Int, _ n: Int) -> Int { (i..<i + n).reduce(0) { $0 << 8 | Int(b[$1]) } }
        if b.count >= 24, b[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] {
            return .image(format: "PNG", width: be(16, 4), height: be(20, 4), bytes: bytes)
        }
        if b.count >= 10, b[0..<4] == [0x47, 0x49, 0x46, 0x38] {
            return .image(format: "GIF", width: Int(b[6]) | Int(b[7]) << 8, height: Int(b[8]) | Int(b[9]) << 8, bytes: bytes)
        }
        if b.count >= 3, b[0..<3] == [0xFF, 0xD8, 0xFF] { return .image(format: "JPEG", width: nil, height: nil, bytes: bytes) }
        if b.count >= 12, b[0..<4] == [0x52, 0x49, 0x46, 0x46], b[8..<12] == [0x57, 0x45, 0x42, 0x50] {
            return .image(format: "WebP", width: nil, height: nil, bytes: bytes)
        }
        return nil
    }

    /// The lines the viewer draws at `width`.
    func lines(width: Int) -> [StyledLine] {
        let shown = { (text: String) in ChatLayout.shown(text) }
        switch self {
        case .markdown(let text): return Markdown.render(shown(text), width: width)
        case .text(let text): return TextWrap.lines(shown(text), width: width).map { [Span($0, Style(color: .code))] }
        case .table(let rows):
            guard let first = rows.first else { return [] }
            let escape = { (cell: String) in shown(cell).replacingOccurrences(of: "|", with: "\\|") }
            var markdown = "| " + first.map(escape).joined(separator: " | ") + " |\n|" + first.map { _ in "---|" }.joined() + "\n"
            for row in rows.dropFirst() { markdown += "| " + row.map(escape).joined(separator: " | ") + " |\n" }
            return Markdown.render(markdown, width: width)
        case .image(let format, let w, let h, let bytes):
            let size = w.flatMap { w in h.map { "\(w)×\($0) px, " } } ?? ""
            return [[Span("[\(format) image, \(size)\(Attachment.describe(size: bytes))]", Style(color: .accent))]]
        case .binary(let bytes):
            return [[Span("[\(Attachment.describe(size: bytes)) of binary data: o opens it with the system's opener]", Style(color: .muted))]]
        case .unreadable(let why): return [[Span("⚠ " + shown(why), Style(color: .error))]]
        }
    }
}

extension AppState {
    /// A key in the artifacts panel (or the file it shows).
    mutating func artifactsKey(_ key: Key, _ panel: ArtifactsPanel) -> [Effect] {
        var panel = panel
        defer { if case .artifacts = modal { modal = .artifacts(panel) } }
        if var view = panel.view {
            let page = max(1, height - 10)
            switch key {
            case .escape, .backspace: panel.view = nil
            case .down: view.offset += 1
            case .up: view.offset = max(0, view.offset - 1)
            case .pageDown, .character(" "): view.offset += page
            case .pageUp: view.offset = max(0, view.offset - page)
            case .character("o"): return open(view.file, in: &panel)
            case .character("s"): return saveCopy(view.file, in: &panel)
            default: break
            }
            if panel.view != nil { panel.view = view }
            return []
        }
        switch key {
        case .escape, .character("q"):
            modal = nil
            return []
        case .up, .down, .pageUp, .pageDown, .home, .end:
            _ = panel.selection.key(key, count: panel.items.count)
        case .enter:
            guard let file = panel.selection.item(in: panel.items) else { return [] }
            guard let path = file.savedAt else {
                panel.note = Notice("\(file.name) is kept by the formation only: muxi-chat artifacts save fetches it", .warning)
                return []
            }
            panel.view = ArtifactView(file: file)
            return [.readArtifact(path: path)]
        case .character("o"):
            if let file = panel.selection.item(in: panel.items) { return open(file, in: &panel) }
        case .character("s"):
            if let file = panel.selection.item(in: panel.items) { return saveCopy(file, in: &panel) }
        default: break
        }
        return []
    }

    private func open(_ file: ProducedFile, in panel: inout ArtifactsPanel) -> [Effect] {
        guard let path = file.savedAt else {
            panel.note = Notice("\(file.name) was not saved here, so it cannot be opened", .warning)
            return []
        }
        return [.openFile(path: path)]
    }

    private func saveCopy(_ file: ProducedFile, in panel: inout ArtifactsPanel) -> [Effect] {
        guard let path = file.savedAt else {
            panel.note = Notice("\(file.name) was not saved here: muxi-chat artifacts save fetches it", .warning)
            return []
        }
        return [.copyFile(path: path)]
    }
}
