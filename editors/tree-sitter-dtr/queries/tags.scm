; Tags for code navigation (`tree-sitter tags`, GitHub's symbol search):
; every declaration with its doc comment, and the references to actors,
; alliances and scenarios.

(actor_declaration name: (identifier) @name) @definition.class
(alliance_declaration name: (identifier) @name) @definition.module
(domain_declaration name: (identifier) @name) @definition.constant
(region_declaration name: (identifier) @name) @definition.constant
(commitment_declaration name: (identifier) @name) @definition.function
(obligation name: (identifier) @name) @definition.function
(scenario_declaration name: (identifier) @name) @definition.function

(members_field (name_list (identifier) @name)) @reference.class
(commitment_declaration actor: (identifier) @name) @reference.class
(commitment_declaration target: (identifier) @name) @reference.class
(threat_declaration aggressor: (identifier) @name) @reference.class
(opening aggressor: (identifier) @name) @reference.class
(opening victim: (identifier) @name) @reference.class
(scenario_expectation scenario: (identifier) @name) @reference.call
