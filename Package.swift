// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Trawl",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "trawl", targets: ["TrawlCLI"]),
        .executable(name: "trawl-bench", targets: ["TrawlBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
    ],
    targets: [
        // text → tokens. Imports no SQLite and touches no files.
        .target(name: "TrawlText"),
        // query string → Query (an AST). Syntax only.
        .target(name: "TrawlQuery"),
        // zlib, for TrawlIndex's compressed document bodies and TrawlIngest's .docx/.odt (ZIP) members.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // zstd and its dictionary trainer, for TrawlIndex's bodies once an index has a dictionary
        // trained on its own files.
        .systemLibrary(name: "CZstd", providers: [.apt(["libzstd-dev"])]),
        // SQLite's process-wide settings (`sqlite3_config`, which Swift cannot call), for TrawlIndex.
        .systemLibrary(name: "CSQLiteConfig", providers: [.apt(["libsqlite3-dev"])]),
        // glibc's allocator settings (`mallopt`), for TrawlSearch's long-running processes.
        .systemLibrary(name: "CMalloc"),
        // The SQLite file: the only target with GRDB and SQL.
        .target(
            name: "TrawlIndex",
            dependencies: [
                "TrawlText", "TrawlQuery", "CZlib", "CZstd", "CSQLiteConfig",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // Answer a query: run, rank, cut snippets.
        .target(name: "TrawlSearch", dependencies: ["TrawlIndex", "TrawlText", "TrawlQuery", "CMalloc"]),
        // Keep the index in step with folders.
        .target(
            name: "TrawlIngest",
            dependencies: ["TrawlIndex", "TrawlText", "CZlib", .product(name: "Yams", package: "Yams")]
        ),
        // Read replicas: Litestream's configuration, starting and watching it. No SQL, no GRDB.
        .target(name: "TrawlReplica"),
        // The contract every front end shares (`trawl … --format json`, the HTTP API, MCP): JSON
        // responses, error kinds, request limits, date periods.
        .target(name: "TrawlAPI", dependencies: ["TrawlSearch", "TrawlIndex"]),
        // `trawl serve` (web page + JSON API on Hummingbird) and `trawl mcp` (MCP over stdio).
        .target(
            name: "TrawlServe",
            dependencies: [
                "TrawlAPI", "TrawlSearch", "TrawlIndex",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // The `trawl` executable.
        .executableTarget(
            name: "TrawlCLI",
            dependencies: [
                "TrawlIngest", "TrawlSearch", "TrawlQuery", "TrawlText", "TrawlReplica", "TrawlAPI",
                "TrawlServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // In-process measurements for scripts/bench (tokenizer throughput, FTS5 inserts, warm search).
        .executableTarget(name: "TrawlBench", dependencies: ["TrawlSearch", "TrawlIndex", "TrawlText"]),
        .testTarget(name: "TrawlTextTests", dependencies: ["TrawlText"]),
        .testTarget(name: "TrawlQueryTests", dependencies: ["TrawlQuery"]),
        .testTarget(name: "TrawlIndexTests", dependencies: ["TrawlIndex"]),
        .testTarget(name: "TrawlSearchTests", dependencies: ["TrawlSearch", "TrawlIndex"]),
        .testTarget(name: "TrawlIngestTests", dependencies: ["TrawlIngest", "TrawlIndex"]),
        .testTarget(name: "TrawlReplicaTests", dependencies: ["TrawlReplica"]),
        .testTarget(name: "TrawlServeTests", dependencies: ["TrawlServe", "TrawlAPI", "TrawlIndex", "TrawlSearch"]),
        .testTarget(
            name: "TrawlCLITests", dependencies: ["TrawlCLI", "TrawlSearch", "TrawlIndex", "TrawlText"]),
    ],
    swiftLanguageModes: [.v6]
)
