/// Renders rows as aligned columns, measuring text by display width (CJK, emoji), with the
/// last column left ragged and long cells cut with `…`.
///
/// ```swift
/// let table = TextTable(headers: ["ID", "NAME"], rows: [["assistant", "Assistant"]])
/// print(table.render(maxWidth: 80))
/// ```
public struct TextTable: Sendable {
    public var headers: [String]
    public var rows: [[String]]

    /// A table with `headers` and `rows` (each row as many cells as headers).
    public init(headers: [String], rows: [[String]]) {
        self.headers = headers
        self.rows = rows
    }

    /// The table as lines joined with `\n`, at most `maxWidth` columns wide when given.
    public func render(maxWidth: Int? = nil, separator: String = "  ") -> String {
        let all = [headers] + rows.map { row in (0..<headers.count).map { $0 < row.count ? row[$0] : "" } }
        var widths = (0..<headers.count).map { column in all.map { DisplayWidth.of($0[column]) }.max() ?? 0 }
        if let maxWidth, !widths.isEmpty {
            let fixed = widths.dropLast().reduce(0, +) + separator.count * (widths.count - 1)
            widths[widths.count - 1] = max(8, min(widths[widths.count - 1], maxWidth - fixed))
        }
        return all.map { row in
            row.enumerated().map { column, cell in
                let cut = DisplayWidth.truncate(cell, to: widths[column])
                return column == row.count - 1 ? cut : DisplayWidth.pad(cut, to: widths[column])
            }.joined(separator: separator)
        }.joined(separator: "\n")
    }
}
