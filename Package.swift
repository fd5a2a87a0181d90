// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "cocrea",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "cocrea", targets: ["cocrea"]),
        // The modules without a server or a database, for the fuzzers in Fuzz/.
        .library(name: "CocreaCore", targets: ["CocreaCore"]),
        .library(name: "CocreaDocuments", targets: ["CocreaDocuments"]),
        .library(name: "CocreaConsultation", targets: ["CocreaConsultation"]),
        .library(name: "CocreaProcurement", targets: ["CocreaProcurement"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV.git", from: "0.10.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Domain values and rules: no I/O, no HTTP, no SQL.
        .target(name: "CocreaCore", dependencies: [.product(name: "SwiftCSV", package: "SwiftCSV")]),

        // cairo and pango, through Debian's libcairo2-dev and libpango1.0-dev.
        .systemLibrary(
            name: "CCairo",
            pkgConfig: "pangocairo",
            providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]
        ),

        // libqrencode (Debian's libqrencode-dev), for the verification code on every page of the PAL.
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),

        // zlib (Debian's zlib1g-dev; named apart from ZIPFoundation's own CZlib module), to read compressed cross-reference and object streams of a PDF.
        .systemLibrary(name: "CInflate", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // OpenSSL's libcrypto (Debian's libssl-dev), to open an e.firma: its PKCS#8 key encrypted with
        // PBES2 / DES-EDE3-CBC, its chain to the SAT's roots and the CAdES signature it makes.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // Documents: calendar invitations, the dossier as PDF and ZIP, the PAL and its PDF signature.
        .target(
            name: "CocreaDocuments",
            dependencies: [
                "CocreaCore", "CCairo", "CQREncode", "CInflate", "COpenSSL",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // Snowball's stemmers (Debian's libstemmer-dev, which ships no pkg-config file), for Spanish text.
        .systemLibrary(name: "CStemmer", providers: [.apt(["libstemmer-dev"])]),

        // Public consultation: surveys, information-request files and their recurring topics. No I/O.
        .target(
            name: "CocreaConsultation",
            dependencies: [
                "CocreaCore", "CStemmer",
                .product(name: "SwiftCSV", package: "SwiftCSV"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),

        // Open contracting: OCDS 1.1 release packages read, validated and compiled into contracting processes. No I/O.
        .target(name: "CocreaProcurement", dependencies: ["CocreaCore"]),

        // Fluent models, migrations, queries, the audit hash chain. FluentKit, not Vapor's Fluent.
        .target(
            name: "CocreaStore",
            dependencies: [
                "CocreaCore",
                "CocreaProcurement",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // libcurl, through Debian's libcurl4-openssl-dev.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),

        // Messages, the SMTP transport and the outbox worker.
        .target(
            name: "CocreaMail",
            dependencies: [
                "CocreaCore", "CocreaStore", "CCurl",
                .product(name: "FluentKit", package: "fluent-kit"),
            ]
        ),

        // The use cases, one folder per feature: each takes a `UseCaseContext` and plain inputs and
        // returns plain values. No Vapor here: `scripts/lint` builds it with the import check.
        .target(
            name: "CocreaUseCases",
            dependencies: [
                "CocreaCore", "CocreaStore", "CocreaMail", "CocreaDocuments", "CocreaConsultation", "CocreaProcurement",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // Routes, thin controllers, auth, views, the JSON API and its OpenAPI document.
        .target(
            name: "CocreaWeb",
            dependencies: [
                "CocreaCore", "CocreaStore", "CocreaMail", "CocreaDocuments", "CocreaConsultation", "CocreaProcurement", "CocreaUseCases",
                .product(name: "Vapor", package: "vapor"),
                // Vapor's own HTTP client, through its streaming API: a fetched OCDS package is capped while it arrives.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Crypto", package: "swift-crypto"),
                // Prometheus' text format at /metrics, as swift-metrics' backend.
                .product(name: "Metrics", package: "swift-metrics"),
                // Its Counter and Timer by name: Prometheus has types of the same names.
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),

        // The executable: argument parsing only.
        .executableTarget(
            name: "cocrea",
            dependencies: [
                "CocreaWeb", "CocreaUseCases", "CocreaStore", "CocreaMail", "CocreaCore", "CocreaDocuments", "CocreaConsultation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Vapor", package: "vapor"),
            ]
        ),

        // What the test targets share: a configured application on a real database, a real SMTP server.
        .target(
            name: "CocreaTestSupport",
            dependencies: [
                "CocreaWeb", "CocreaUseCases", "CocreaStore", "CocreaMail", "CocreaCore", "CocreaDocuments", .product(name: "VaporTesting", package: "vapor"),
            ],
            path: "Tests/CocreaTestSupport"
        ),
        .testTarget(name: "CocreaCoreTests", dependencies: ["CocreaCore"]),
        .testTarget(name: "CocreaConsultationTests", dependencies: ["CocreaConsultation", "CocreaCore"]),
        .testTarget(name: "CocreaProcurementTests", dependencies: ["CocreaProcurement", "CocreaCore"]),
        .testTarget(name: "CocreaDocumentsTests", dependencies: ["CocreaDocuments", "CocreaCore", "CocreaTestSupport"]),
        .testTarget(
            name: "CocreaStoreTests",
            dependencies: [
                "CocreaTestSupport", "CocreaWeb", "CocreaUseCases", "CocreaStore", "CocreaMail", "CocreaCore", .product(name: "VaporTesting", package: "vapor"),
            ]),
        .testTarget(
            name: "CocreaMailTests",
            dependencies: [
                "CocreaTestSupport", "CocreaWeb", "CocreaUseCases", "CocreaStore", "CocreaMail", "CocreaCore", .product(name: "VaporTesting", package: "vapor"),
            ]),
        .testTarget(
            name: "CocreaWebTests",
            dependencies: [
                "CocreaTestSupport", "CocreaWeb", "CocreaUseCases", "CocreaStore", "CocreaMail", "CocreaCore", "CocreaDocuments",
                .product(name: "VaporTesting", package: "vapor"),
            ]),
    ]
)
