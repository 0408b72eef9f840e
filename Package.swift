// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "LoadTree",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "loadtree", targets: ["loadtree"]),
        .library(name: "LoadTreeCore", targets: ["LoadTreeCore"]),
        .library(name: "LoadTreeHTTP", targets: ["LoadTreeHTTP"]),
        .library(name: "LoadTreeEngine", targets: ["LoadTreeEngine"]),
        .library(name: "LoadTreeNode", targets: ["LoadTreeNode"]),
        .library(name: "LoadTreeWire", targets: ["LoadTreeWire"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        // zlib, for the DEFLATE step of the HdrHistogram V2 compressed encoding
        // (Foundation on Linux ships no zlib binding).
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // libnghttp2, the HTTP/2 framing and state machine of the load client.
        .systemLibrary(
            name: "CNghttp2",
            path: "Sources/CNghttp2",
            pkgConfig: "libnghttp2",
            providers: [.apt(["libnghttp2-dev"])]
        ),
        // Pure logic: segments, schedules, plan model, metrics, thresholds. No networking.
        .target(
            name: "LoadTreeCore",
            dependencies: [
                "CZlib",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                // MD5 of group paths: the reference's group and check ids in the summary export.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ]
        ),
        // HTTP/1.1 client (one keep-alive connection per VU, timed like the reference) and the
        // embedded test target, both on SwiftNIO.
        .target(
            name: "LoadTreeHTTP",
            dependencies: [
                "CZlib",
                "CNghttp2",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // Server side of the embedded target's h2c only; the client uses libnghttp2.
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                // TLS: the client's https and the target's generated certificate.
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // VUs, executors at run time, the flow interpreter.
        .target(
            name: "LoadTreeEngine",
            dependencies: ["LoadTreeCore", "LoadTreeHTTP"]
        ),
        // The tree's wire protocol: the .proto (part of the product) and its committed generated
        // code (scripts/generate-wire.sh). No transport here: the node picks one.
        .target(
            name: "LoadTreeWire",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["Proto"]
        ),
        // The tree: barriers, shared data, metric batches and control, the same at every depth.
        .target(
            name: "LoadTreeNode",
            dependencies: [
                "LoadTreeCore",
                "LoadTreeEngine",
                "LoadTreeWire",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                // HTTP/2 over NIO sockets between processes (the Posix variant: the umbrella
                // product also pulls Apple's Network.framework transport).
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
            ]
        ),
        .executableTarget(
            name: "loadtree",
            dependencies: [
                "LoadTreeCore",
                "LoadTreeHTTP",
                "LoadTreeEngine",
                "LoadTreeNode",
                "LoadTreeWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // What several test suites share (not a test suite itself).
        .target(name: "LoadTreeTestSupport", path: "Tests/LoadTreeTestSupport"),
        .testTarget(
            name: "LoadTreeCoreTests",
            dependencies: [
                "LoadTreeCore",
                "LoadTreeTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "LoadTreeHTTPTests",
            dependencies: [
                "LoadTreeHTTP",
                // A frame-level HTTP/2 server that sends GOAWAY and RST_STREAM on purpose.
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
            ]
        ),
        .testTarget(
            name: "LoadTreeNodeTests",
            dependencies: [
                "LoadTreeNode",
                "LoadTreeTestSupport",
                "LoadTreeWire",
                "LoadTreeEngine",
                "LoadTreeHTTP",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCInProcessTransport", package: "grpc-swift-2"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "LoadTreeEngineTests",
            dependencies: ["LoadTreeEngine", "LoadTreeHTTP"]
        ),
        .testTarget(
            name: "LoadTreeWireTests",
            dependencies: [
                "LoadTreeWire",
                "LoadTreeTestSupport",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCInProcessTransport", package: "grpc-swift-2"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        // Runs the built `loadtree` binary: exit codes, JSON shapes, error positions.
        .testTarget(
            name: "LoadTreeCLITests",
            dependencies: ["loadtree", "LoadTreeHTTP", "LoadTreeCore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
