// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "muxi-chat",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "MuxiClient", targets: ["MuxiClient"]),
        .library(name: "MuxiClientTesting", targets: ["MuxiClientTesting"]),
        .executable(name: "muxi-chat", targets: ["muxi-chat"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .target(
            name: "MuxiClient",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG"),
        .target(
            name: "TerminalImages",
            dependencies: ["CPNG", "TerminalUI"],
            swiftSettings: strict
        ),
        .target(
            name: "TerminalUI",
            swiftSettings: strict
        ),
        .target(
            name: "LocalStore",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .target(
            name: "ChatApp",
            dependencies: ["MuxiClient", "LocalStore", "TerminalUI", "TerminalImages"],
            swiftSettings: strict
        ),
        .target(
            name: "CursesTerminal",
            dependencies: ["CNcurses", "TerminalUI"],
            swiftSettings: strict
        ),
        .target(
            name: "MuxiChatCommands",
            dependencies: [
                "MuxiClient", "LocalStore", "TerminalUI", "ChatApp", "CursesTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "muxi-chat",
            dependencies: ["MuxiChatCommands"],
            swiftSettings: strict
        ),
        .target(
            name: "MuxiClientTesting",
            dependencies: ["MuxiClient"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "muxi-stream-bench",
            dependencies: ["MuxiClient"],
            path: "Benchmarks/StreamBench",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "muxi-app-bench",
            dependencies: ["ChatApp", "CursesTerminal", "TerminalUI"],
            path: "Benchmarks/AppBench",
            swiftSettings: strict
        ),
        .target(
            name: "TerminalTesting",
            dependencies: ["TerminalUI"],
            swiftSettings: strict
        ),
        // what the test targets share: a client on a scripted transport, the runtime's captured
        // responses, a loopback HTTP server, child processes, the real binary
        .target(
            name: "TestSupport",
            dependencies: [
                "MuxiClient", "MuxiClientTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/TestSupport",
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MuxiClientTests",
            dependencies: [
                "MuxiClient", "MuxiClientTesting", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"], swiftSettings: strict),
        .testTarget(
            name: "LocalStoreTests",
            dependencies: ["LocalStore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ChatAppTests",
            dependencies: [
                "ChatApp", "LocalStore", "MuxiClient", "MuxiClientTesting", "TerminalUI", "TerminalTesting", "TestSupport",
                "TerminalImages",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Snapshots"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "MuxiChatCommandsTests",
            dependencies: ["MuxiChatCommands", "MuxiClient", "TestSupport", "muxi-chat", .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),
        // everything that needs the real runtime (started by Tests/run-tests.sh) or tmux
        .testTarget(
            name: "LiveTests",
            dependencies: [
                "MuxiClient", "MuxiClientTesting", "ChatApp", "LocalStore", "TerminalUI", "TerminalTesting", "TestSupport", "muxi-chat",
                "TerminalImages", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
    ]
)
