import Testing
import TestSupport
@testable import MuxiClient

@Suite struct JSONTests {
    @Test func parsesAndWritesCompactSortedJSON() throws {
        let v = try JSONValue(parsing: #" { "b" : [1, 2.50, -3e2, true, false, null], "a" : "x\"y\\z\n" } "#)
        #expect(JSONWriter.string(v) == #"{"a":"x\"y\\z\n","b":[1,2.50,-3e2,true,false,null]}"#)
    }

    @Test func numbersKeepTheirText() throws {
        let v = try JSONValue(parsing: "[1795956455.9930696, 1e-05, 12.840]")
        #expect(JSONWriter.string(v) == "[1795956455.9930696,1e-05,12.840]")
        #expect(v[0]?.doubleValue == 1795956455.9930696)
        #expect(JSONNumber(text: "01") == nil)
        #expect(JSONNumber(text: "-0.5e+3")?.doubleValue == -500)
    }

    @Test func unicodeEscapesAndSurrogatePairs() throws {
        let v = try JSONValue(parsing: #"["\u00e9\u4f60\ud83d\ude00", "\ud800x"]"#)
        #expect(v[0]?.stringValue == "é你😀")
        #expect(v[1]?.stringValue == "\u{FFFD}x")
        #expect(JSONWriter.string(["k": "é你😀\u{01}"]) == "{\"k\":\"é你😀\\u0001\"}")
    }

    @Test func invalidUTF8BecomesReplacementCharacters() throws {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0xFE, 0x62, 0x22]
        #expect(try JSONValue(parsing: bytes).stringValue == "a\u{FFFD}\u{FFFD}b")
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: (any Error).self) { try JSONValue(parsing: deep) }
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? JSONValue(parsing: ok)) != nil)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"abc", "1.", "[1] 2", "{\"a\":1,}", "\"\u{01}\""])
    func malformedInputThrows(text: String) {
        #expect(throws: (any Error).self) { try JSONValue(parsing: text) }
    }

    @Test func skippingValuesLeavesTheScannerAfterThem() throws {
        let text = Array(#"{"x":{"y":[1,"]}",{"z":null}]},"k":"v"}"#.utf8)
        try text.withUnsafeBufferPointer { buffer in
            var s = JSONScanner(buffer)
            try s.expect(0x7B)
            _ = try s.readString()
            try s.expect(0x3A)
            try s.skipValue()
            try s.expect(0x2C)
            #expect(try s.readString() == "k")
        }
    }

    @Test func codableRoundTrip() throws {
        let v: JSONValue = ["a": [1, 2.5, "x", nil, true], "b": ["c": "d"]]
        let data = try JSONEncoder().encode(v)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == (try JSONValue(parsing: Array(data))))
    }

    @Test(arguments: [
        ("2026-11-29T12:47:36.794934", 1795956456.794934),
        ("2026-11-29T12:47:36.805357Z", 1795956456.805357),
        ("2026-11-29T13:47:36+01:00", 1795956456.0),
        ("2030-01-01T09:00:00Z", 1893488400.0),
    ])
    func isoTimestampsWithAndWithoutZone(text: String, expected: Double) throws {
        let date = try #require(Timestamp.iso8601(text))
        #expect(abs(date.timeIntervalSince1970 - expected) < 0.001)
    }

    @Test func epochSecondsAndMilliseconds() {
        #expect(Timestamp.date(from: 1795956456.5)?.timeIntervalSince1970 == 1795956456.5)
        #expect(Timestamp.date(from: 1795956456123)?.timeIntervalSince1970 == 1795956456.123)
        #expect(Timestamp.date(from: "garbage") == nil)
    }

    @Test func retryAfterSecondsAndHTTPDate() {
        let now = Date(timeIntervalSince1970: 784111777 - 60)  // a minute before 06 Nov 1994 08:49:37
        #expect(RetryAfter.seconds(from: "120", now: now) == 120)
        #expect(RetryAfter.seconds(from: "Sun, 06 Nov 1994 08:49:37 GMT", now: now) == 60)
        #expect(RetryAfter.seconds(from: "Sunday, 06-Nov-94 08:49:37 GMT", now: now) == 60)
        #expect(RetryAfter.seconds(from: "Sun Nov  6 08:49:37 1994", now: now) == 60)
        #expect(RetryAfter.seconds(from: "soon", now: now) == nil)
    }

    @Test func percentEncodingKeepsOnlyUnreserved() {
        #expect(URLEncoding.component("a+b@x.com") == "a%2Bb%40x.com")
        #expect(URLEncoding.component("sess 1/2?x=y&z") == "sess%201%2F2%3Fx%3Dy%26z")
        #expect(URLEncoding.component("é") == "%C3%A9")
        #expect(URLEncoding.component("A-z_0.9~") == "A-z_0.9~")
    }
}

import Foundation
