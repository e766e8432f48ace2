import Foundation

/// Runs the real `muxi-chat` binary, as a script would.
public enum CLI {
    public struct Result {
        public var out: String
        public var err: String
        public var code: Int32
    }

    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var binary: String {
        ProcessInfo.processInfo.environment["MUXI_CHAT_BINARY"] ?? root.appendingPathComponent(".build/debug/muxi-chat").path
    }

    /// A private home: state and config folders of its own.
    public static func home() -> [String: String] {
        let dir = NSTemporaryDirectory() + "muxi-cli-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return ["HOME": dir, "XDG_STATE_HOME": dir + "/state", "XDG_CONFIG_HOME": dir + "/config", "PATH": "/usr/bin:/bin"]
    }

    public static func run(_ arguments: [String], stdin: String? = nil, env: [String: String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(out: String(decoding: outData, as: UTF8.self), err: String(decoding: errData, as: UTF8.self),
                      code: process.terminationStatus)
    }

    /// ``run(_:stdin:env:)`` on a thread of its own, so an async test waiting for the binary
    /// holds none of the concurrency pool's few threads (two on this machine: blocking them
    /// delays every other test's timers).
    public static func runOffPool(_ arguments: [String], stdin: String? = nil, env: [String: String]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Swift.Result<CLI.Result, any Error> { try run(arguments, stdin: stdin, env: env) }) }.start()
        }
    }
}
