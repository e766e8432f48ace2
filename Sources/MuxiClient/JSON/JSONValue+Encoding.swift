import Foundation

extension JSONValue {
    /// The JSON of any `Encodable` value (your own structs, dictionaries of variables…),
    /// written the way the runtime reads it: dates as ISO 8601 text, data as base64, keys as
    /// the value's `CodingKeys` name them. A value that does not encode (a non-finite number,
    /// a top-level nil) is a `validation` ``MuxiError``.
    ///
    /// ```swift
    /// struct Issue: Encodable { let number: Int; let title: String }
    /// let data = try JSONValue(encoding: ["repository": "muxi/runtime"])
    /// let issue = try JSONValue(encoding: Issue(number: 123, title: title))
    /// try await formation.fireTrigger("github-issue", data: issue)
    /// ```
    public init(encoding value: some Encodable) throws(MuxiError) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        do {
            self = try JSONValue(parsing: Array(try encoder.encode(value)))
        } catch let error as MuxiError {
            throw error
        } catch {
            throw MuxiError.validation("the value does not encode as JSON: \(error)")
        }
    }
}
