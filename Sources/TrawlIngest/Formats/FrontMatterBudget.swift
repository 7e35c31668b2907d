import CYaml

/// What a Markdown file's front matter may cost before Yams builds values from it.
///
/// YAML aliases repeat the node an anchor names, and Yams builds every repetition: nine levels
/// of nine aliases ("billion laughs") in 641 bytes became 23.7 GiB of values. So the front
/// matter is first read as libyaml events only (the parser Yams uses, through its `CYaml`
/// module), which costs memory in its length, counting the nodes it would build with aliases
/// expanded and how deep they nest; over budget, it is dropped with a warning, like invalid YAML.
struct FrontMatterBudget {
    /// Bytes of YAML between the fences.
    var maximumBytes = 64 * 1024
    /// Nodes (scalars, lists, mappings) after expanding every alias.
    var maximumNodes = 10_000
    /// Lists and mappings inside each other.
    var maximumDepth = 64

    /// Why `yaml` is over budget, in words for a warning; nil when Yams may load it. YAML errors
    /// are left for Yams to report.
    func excess(of yaml: String) -> String? {
        var yaml = yaml
        return yaml.withUTF8 { bytes in
            if bytes.count > maximumBytes {
                return "is \(bytes.count) bytes long (at most \(maximumBytes) are read)"
            }
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return "could not be read" }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            return count(&parser)
        }
    }

    private func count(_ parser: inout yaml_parser_t) -> String? {
        /// Expanded node counts of the anchors seen so far.
        var anchored: [String: Int] = [:]
        /// Open lists and mappings: their anchor and the node count when they opened.
        var open: [(anchor: String?, start: Int)] = []
        var nodes = 0
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_SCALAR_EVENT:
                nodes += 1
                if let anchor = Self.name(event.data.scalar.anchor) { anchored[anchor] = 1 }
            case YAML_ALIAS_EVENT:
                // An undefined alias is Yams' error to report.
                nodes += Self.name(event.data.alias.anchor).flatMap { anchored[$0] } ?? 0
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let anchor =
                    event.type == YAML_SEQUENCE_START_EVENT
                    ? event.data.sequence_start.anchor : event.data.mapping_start.anchor
                open.append((Self.name(anchor), nodes))
                nodes += 1
                if open.count > maximumDepth {
                    return "nests lists and mappings more than \(maximumDepth) deep"
                }
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                if let (anchor, start) = open.popLast(), let anchor { anchored[anchor] = nodes - start }
            default:
                break
            }
            if nodes > maximumNodes {
                return "would expand to more than \(maximumNodes) values (through aliases or sheer size)"
            }
        }
    }

    private static func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        anchor.map { String(cString: UnsafePointer($0)) }
    }
}
