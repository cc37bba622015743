/**
 * @file Tree-sitter grammar for DTR, the deterrence scenario language.
 *
 * It follows crates/dtr/grammar/dtr.pest (the reference grammar) rule by rule, with
 * a flatter tree for conditions (precedence instead of or/and/unary
 * layers). Like the reference it accepts a little more than the language
 * (any escape, any number where a year goes): the checker reports the rest.
 * Keywords are contextual here, so a keyword used as a name (`actor war`)
 * parses; the reference parser and so `dtr lsp` report it (E0001).
 */

/* eslint-disable no-undef */

const DIGITS = /[0-9](_?[0-9])*/.source;
const NUMBER = `-?${DIGITS}(\\.${DIGITS})?([eE][+-]?${DIGITS})?`;

/** `key: value` with the key as a `field_name` node. */
function keyed($, key, value) {
  return seq(alias(key, $.field_name), ':', value);
}

/** Block items separated by white space and an optional comma. */
function items(rule) {
  return repeat(seq(rule, optional(',')));
}

export default grammar({
  name: 'dtr',

  word: $ => $.identifier,

  externals: $ => [$.block_comment],

  extras: $ => [/\s|\uFEFF/, $.line_comment, $.doc_comment, $.block_comment],

  rules: {
    source_file: $ => repeat($._declaration),

    _declaration: $ => choice(
      $.import_declaration,
      $.settings_declaration,
      $.domain_declaration,
      $.region_declaration,
      $.actor_declaration,
      $.alliance_declaration,
      $.commitment_declaration,
      $.threat_declaration,
      $.scenario_declaration,
      $.expect_declaration,
    ),

    // ------------------------------------------------------------ lexical

    identifier: _ => /[A-Za-z_][A-Za-z0-9_]*/,

    // `///` then anything but a fourth slash. `////…` is a plain comment:
    // line_comment's match is longer then; on equal length the rule that
    // comes first (doc_comment) wins.
    doc_comment: _ => token(/\/\/\/([^\/\n][^\n]*)?/),
    line_comment: _ => token(/\/\/[^\n]*/),

    string: $ => seq(
      '"',
      repeat(choice($.string_content, $.escape_sequence)),
      token.immediate('"'),
    ),
    string_content: _ => token.immediate(prec(1, /[^"\\\n]+/)),
    escape_sequence: _ => token.immediate(choice(/\\u\{[^}"\n]*\}/, /\\[^\n]/)),

    number: _ => token(new RegExp(NUMBER)),
    percent: _ => token(new RegExp(`${NUMBER}%`)),
    date: _ => token(prec(1, /[0-9]{4}-[0-9]{2}-[0-9]{2}/)),

    _probability: $ => choice($.percent, $.number),
    _time: $ => choice($.date, $.number),

    name_list: $ => seq(
      '[',
      optional(seq($.identifier, repeat(seq(',', $.identifier)), optional(','))),
      ']',
    ),
    _names: $ => choice($.name_list, $.identifier),

    // ------------------------------------------------------------ declarations

    import_declaration: $ => seq('import', field('path', $.string)),

    settings_declaration: $ => seq('settings', '{', items($._setting), '}'),
    _setting: $ => choice(
      $.year_field, $.date_field, $.ladder_field, $.ratio_field,
      $.floor_field, $.samples_field, $.seed_field, $.opening_field,
      $.substitution_field,
    ),
    year_field: $ => keyed($, 'year', $._time),
    date_field: $ => keyed($, 'date', $._time),
    ladder_field: $ => keyed($, 'ladder', $.name_list),
    ratio_field: $ => keyed($, 'deterrence_ratio', $.number),
    floor_field: $ => keyed($, 'credibility_floor', $._probability),
    samples_field: $ => keyed($, 'samples', $.number),
    seed_field: $ => keyed($, 'seed', $.number),
    opening_field: $ => keyed($, 'opening', $.identifier),
    substitution_field: $ => keyed($, 'substitution', seq(
      '[',
      optional(seq($.substitute, repeat(seq(',', $.substitute)), optional(','))),
      ']',
    )),
    substitute: $ => seq(
      field('from', $.identifier), '->', field('to', $.identifier), field('factor', $._probability),
    ),

    domain_declaration: $ => seq(
      'domain', field('name', $.identifier), optional(field('label', $.string)),
    ),

    region_declaration: $ => seq(
      'region',
      field('name', $.identifier),
      optional(field('label', $.string)),
      optional(field('body', $.region_body)),
    ),
    region_body: $ => seq('{', items($.contains_field), '}'),
    contains_field: $ => keyed($, 'contains', $.name_list),

    actor_declaration: $ => seq(
      'actor',
      field('name', $.identifier),
      optional(field('label', $.string)),
      optional(field('body', $.actor_body)),
    ),
    actor_body: $ => seq(
      '{',
      items(choice($.region_field, $.capability_field, $.resolve_field)),
      '}',
    ),
    region_field: $ => keyed($, 'region', $.identifier),
    capability_field: $ => seq(
      alias('capability', $.field_name), '{', items($.capability_entry), '}',
    ),
    capability_entry: $ => seq(field('domain', $.identifier), ':', $.number),
    resolve_field: $ => keyed($, 'resolve', $._probability),

    alliance_declaration: $ => seq(
      'alliance',
      field('name', $.identifier),
      optional(field('label', $.string)),
      '{',
      items(choice(
        $.members_field, $.since_field, $.until_field,
        $.interoperability_field, $.obligation,
      )),
      '}',
    ),
    members_field: $ => keyed($, 'members', $.name_list),
    since_field: $ => keyed($, 'since', $._time),
    until_field: $ => keyed($, 'until', $._time),
    interoperability_field: $ => keyed($, 'interoperability', $._probability),

    obligation: $ => seq(
      'obligation',
      field('name', $.identifier),
      field('kind', $.obligation_kind),
      optional(field('terms', $.terms)),
    ),
    obligation_kind: _ => choice('defend', 'join', 'consult', 'neutral', 'nonaggression'),

    terms: $ => seq('{', items($._term), '}'),
    _term: $ => choice(
      $.when_field, $.domains_field, $.response_field, $.credibility_field,
      $.since_field, $.until_field, $.interoperability_field,
    ),
    when_field: $ => keyed($, 'when', $._condition),
    domains_field: $ => keyed($, 'domains', $._names),
    response_field: $ => keyed($, 'response', $.identifier),
    credibility_field: $ => seq(
      keyed($, 'credibility', $._probability), optional($.except),
    ),
    except: $ => seq(alias('except', $.field_name), '{', items($.except_entry), '}'),
    except_entry: $ => seq(field('actor', $.identifier), ':', $._probability),

    commitment_declaration: $ => seq(
      'commitment',
      field('name', $.identifier),
      ':',
      field('actor', $.identifier),
      field('kind', $.commitment_kind),
      field('target', $.identifier),
      optional(field('terms', $.terms)),
    ),
    commitment_kind: _ => choice('defends', 'attacks', 'consults', 'neutral', 'nonaggression'),

    // ------------------------------------------------------------ conditions

    _condition: $ => choice(
      $.or_condition, $.and_condition, $.not_condition, $.group,
      $.attack, $.war_between, $.war_with, $.threat_to,
    ),
    or_condition: $ => prec.left(1, seq($._condition, 'or', $._condition)),
    and_condition: $ => prec.left(2, seq($._condition, 'and', $._condition)),
    not_condition: $ => prec(3, seq('not', $._condition)),
    group: $ => seq('(', $._condition, ')'),

    attack: $ => prec.right(seq(
      optional('unprovoked'),
      optional('opening'),
      'attack',
      repeat(choice($.on_clause, $.by_clause, $.in_clause, $.within_clause, $.at_clause)),
    )),
    on_clause: $ => seq('on', $._parties),
    by_clause: $ => seq('by', $._parties),
    in_clause: $ => seq('in', $._names),
    within_clause: $ => seq('within', $._names),
    at_clause: $ => seq('at', optional(alias('>=', $.at_least)), $.identifier),

    war_between: $ => seq('war', 'between', $._parties, 'and', $._parties),
    war_with: $ => seq('war', 'with', $._parties),
    threat_to: $ => seq('threat_to', $._parties),

    _parties: $ => choice($.member, $.any, $.name_list, $.identifier),
    member: _ => 'member',
    any: _ => 'any',

    // ------------------------------------------------------------ threat, scenario

    threat_declaration: $ => seq(
      'threat',
      field('aggressor', $.identifier),
      '->',
      field('targets', $._names),
      optional(field('body', $.threat_body)),
    ),
    threat_body: $ => seq('{', items($.domains_field), '}'),

    scenario_declaration: $ => seq(
      'scenario',
      field('name', $.identifier),
      optional(field('label', $.string)),
      '{',
      items($.opening),
      '}',
    ),
    opening: $ => prec.right(seq(
      field('aggressor', $.identifier),
      'attacks',
      field('victim', $.identifier),
      repeat(choice($.in_clause, $.rung_clause, $.provoked)),
    )),
    rung_clause: $ => seq('at', $.identifier),
    provoked: _ => 'provoked',

    // ------------------------------------------------------------ expectations

    expect_declaration: $ => seq(
      'expect',
      choice($.gap_expectation, $.no_gap_expectation, $.scenario_expectation),
    ),
    gap_expectation: $ => prec.right(seq(
      'gap',
      field('aggressor', $.identifier),
      '->',
      field('target', $.identifier),
      optional(seq('in', field('domain', $.identifier))),
      optional(seq(':', field('reason', $.identifier))),
    )),
    no_gap_expectation: $ => prec.right(seq(
      'no',
      'gap',
      field('aggressor', $.identifier),
      '->',
      field('target', $.identifier),
      optional(seq('in', field('domain', $.identifier))),
    )),
    scenario_expectation: $ => seq(
      field('scenario', $.identifier),
      ':',
      choice($.probability_outcome, $.not_reaches, $.reaches, $.joins, $.stays_out, $.attacks),
    ),
    probability_outcome: $ => seq(
      'P', '(', choice($.reaches, $.joins, $.stays_out, $.attacks), ')',
      $.comparison, $._probability,
    ),
    comparison: _ => choice('<=', '>=', '<', '>'),
    joins: $ => seq(field('actor', $.identifier), 'joins'),
    stays_out: $ => seq(field('actor', $.identifier), 'stays', 'out'),
    attacks: $ => seq(field('actor', $.identifier), 'attacks'),
    reaches: $ => seq('reaches', field('rung', $.identifier)),
    not_reaches: $ => seq('not', 'reaches', field('rung', $.identifier)),
  },
});
