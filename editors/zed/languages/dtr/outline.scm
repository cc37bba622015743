; Zed's outline panel and symbol search: every declaration, with its
; keyword as context.
(actor_declaration "actor" @context name: (identifier) @name) @item
(alliance_declaration "alliance" @context name: (identifier) @name) @item
(obligation "obligation" @context name: (identifier) @name) @item
(domain_declaration "domain" @context name: (identifier) @name) @item
(region_declaration "region" @context name: (identifier) @name) @item
(commitment_declaration "commitment" @context name: (identifier) @name) @item
(threat_declaration "threat" @context aggressor: (identifier) @name) @item
(scenario_declaration "scenario" @context name: (identifier) @name) @item
