import Testing
import TestSupport
import Foundation
import NIOConcurrencyHelpers
@testable import MuxiClient
import MuxiClientTesting

/// The SDK-update notice (`X-Muxi-SDK-Latest`): compared number by number, at most once per
/// process, silenced by `MUXI_SDK_VERSION_NOTIFICATION=0`, and only through the handler.
@Suite struct SDKUpdateTests {
    @Test func versionsAreComparedNumberByNumber() {
        #expect(SDKUpdate.isNewer("0.20260408.0", than: "0.1.0"))
        #expect(SDKUpdate.isNewer("0.10.0", than: "0.9.0"))      // a text compare says no
        #expect(SDKUpdate.isNewer("1.0.1", than: "1.0"))
        #expect(!SDKUpdate.isNewer("1.0", than: "1.0.0"))
        #expect(!SDKUpdate.isNewer("0.1.0", than: "0.1.0"))
        #expect(!SDKUpdate.isNewer("0.0.9", than: "0.1.0"))
        #expect(SDKUpdate.isNewer("1.0.0-rc2", than: "1.0.0-rc1"))
        #expect(!SDKUpdate.isNewer("", than: "0.1.0"))
    }

    @Test func reportedOnceAndSilencedByTheEnvironment() {
        let seen = NIOLockedValueBox<[SDKUpdate]>([])
        let once = NIOLockedValueBox(false)
        let record: @Sendable (SDKUpdate) -> Void = { u in seen.withLockedValue { $0.append(u) } }
        SDKUpdate.report(latest: "0.1.0", current: "0.1.0", environment: { _ in nil }, once: once, to: record)
        #expect(seen.withLockedValue { $0 }.isEmpty && !once.withLockedValue { $0 })   // not newer: nothing used up
        SDKUpdate.report(latest: "0.3.0", current: "0.1.0", environment: { _ in "0" }, once: once, to: record)
        #expect(seen.withLockedValue { $0 }.isEmpty)
        SDKUpdate.report(latest: " 0.2.0 ", current: "0.1.0", environment: { _ in "1" }, once: once, to: record)
        SDKUpdate.report(latest: "0.3.0", current: "0.1.0", environment: { _ in nil }, once: once, to: record)
        #expect(seen.withLockedValue { $0 } == [SDKUpdate(latest: "0.2.0", current: "0.1.0")])
    }

    @Test func theClientHandsTheHeaderToItsHandlerOnly() async throws {
        let t = ScriptedTransport()
        let latest = [HTTPHeader("X-Muxi-SDK-Latest", "999.0.0")]
        t.on("GET", "/v1/health", .json(200, #"{"status":"healthy"}"#, headers: latest),
             .json(200, #"{"status":"healthy"}"#, headers: latest))
        let seen = NIOLockedValueBox<[String]>([])
        let client = try makeClient(t) { config in
            config.onSDKUpdate = { u in seen.withLockedValue { $0.append(u.latest) } }
        }
        _ = try await client.health()
        _ = try await client.health()
        #expect(seen.withLockedValue { $0 } == ["999.0.0"])   // the one handler call of this test process
        let request = try #require(t.requests.first)
        #expect(request.header("X-Muxi-SDK") == "swift/\(MuxiClientVersion.current)")
    }
}
