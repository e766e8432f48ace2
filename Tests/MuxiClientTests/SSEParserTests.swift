import Testing
import TestSupport
@testable import MuxiClient

@Suite struct SSEParserTests {
    struct Item: Equatable { var comment = false; var event: String?; var data = "" }

    static func parse(_ chunks: [[UInt8]], maxEventBytes: Int = 16 << 20) throws -> [Item] {
        var parser = SSEParser(maxEventBytes: maxEventBytes)
        var items: [Item] = []
        for chunk in chunks {
            try parser.feed(chunk) { record in
                switch record {
                case .comment: items.append(Item(comment: true))
                case .event(let name, let data): items.append(Item(event: name, data: String(decoding: data, as: UTF8.self)))
                }
            }
        }
        return items
    }

    static func split(_ bytes: [UInt8], at cut: Int) -> [[UInt8]] { [Array(bytes[..<cut]), Array(bytes[cut...])] }

    @Test(arguments: Fixture.sseCaptures)
    func everyCaptureSplitAtEveryByteGivesTheSameFrames(name: String) throws {
        let bytes = Fixture.bytes(name)
        let whole = try Self.parse([bytes])
        #expect(whole.contains { $0.event == "done" })
        #expect(whole.contains { $0.comment })
        for cut in 0...bytes.count {
            #expect(try Self.parse(Self.split(bytes, at: cut)) == whole, "split at \(cut) of \(name)")
        }
        // and one byte at a time
        #expect(try Self.parse(bytes.map { [$0] }) == whole)
    }

    @Test(arguments: Fixture.sseCaptures)
    func crlfAndBareCRLineEndsGiveTheSameFrames(name: String) throws {
        let text = Fixture.text(name)
        let whole = try Self.parse([Array(text.utf8)])
        for ending in ["\r\n", "\r"] {
            let bytes = Array(text.replacingOccurrences(of: "\n", with: ending).utf8)
            #expect(try Self.parse([bytes]) == whole)
            for cut in stride(from: 0, through: bytes.count, by: 7) {
                #expect(try Self.parse(Self.split(bytes, at: cut)) == whole)
            }
        }
    }

    @Test func crlfSplitBetweenCRAndLFIsOneLineEnd() throws {
        let items = try Self.parse([Array("data: a\r".utf8), Array("\n\r".utf8), Array("\ndata: b\r\n\r\n".utf8)])
        #expect(items == [Item(data: "a"), Item(data: "b")])
    }

    @Test func multiLineDataIsJoinedWithNewlines() throws {
        #expect(try Self.parse([Array("data: a\ndata:b\ndata:  c\n\n".utf8)]) == [Item(data: "a\nb\n c")])
    }

    @Test func eventNamesCommentsAndIgnoredFields() throws {
        let items = try Self.parse([Array(": hi\nevent: done\nfoo: bar\nid: 7\nretry: 100\ndata: {}\n\n".utf8)])
        #expect(items == [Item(comment: true), Item(event: "done", data: "{}")])
    }

    @Test func anEventWithoutDataIsNotDispatchedAndItsNameDoesNotLeak() throws {
        #expect(try Self.parse([Array("event: ui\n\ndata: x\n\n".utf8)]) == [Item(data: "x")])
    }

    @Test func aLeadingByteOrderMarkIsSkippedEvenWhenSplit() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("data: x\n\n".utf8)
        for cut in 0...bytes.count {
            #expect(try Self.parse(Self.split(bytes, at: cut)) == [Item(data: "x")])
        }
    }

    @Test func anIncompleteEventAtTheEndIsDropped() throws {
        #expect(try Self.parse([Array("data: a\n\ndata: b".utf8)]) == [Item(data: "a")])
    }

    @Test func anOversizedEventThrowsInsteadOfGrowing() throws {
        let line = Array("data: ".utf8) + [UInt8](repeating: 0x61, count: 5000)
        #expect(throws: MuxiError.self) { try Self.parse([line], maxEventBytes: 1024) }
        // split into small chunks too: the pending line is bounded as well
        let chunks = stride(from: 0, to: line.count, by: 100).map { Array(line[$0..<min($0 + 100, line.count)]) }
        #expect(throws: MuxiError.self) { try Self.parse(chunks, maxEventBytes: 1024) }
    }

    @Test func lastEventIDAndRetryAreKept() throws {
        var parser = SSEParser()
        try parser.feed(Array("id: 42\nretry: 1500\ndata: x\n\n".utf8)) { _ in }
        #expect(parser.lastEventID == "42")
        #expect(parser.retry == 1500)
    }
}
