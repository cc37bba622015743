-- Headless check of the tree-sitter setup: registers a compiled parser and
-- the queries of editors/tree-sitter-dtr, opens a file, and checks that it
-- parses without errors and that declared and referred names get highlight
-- captures.
--
--   DTR_PARSER=/tmp/dtr.so DTR_TEST_FILE=examples/baltic.dtr \
--     nvim --headless -u NONE -c 'luafile editors/neovim/test/treesitter_highlight.lua'
local here = debug.getinfo(1, 'S').source:sub(2)
local plugin_dir = vim.fn.fnamemodify(here, ':p:h:h')
local queries = vim.fn.fnamemodify(plugin_dir, ':h') .. '/tree-sitter-dtr/queries'

local function finish(ok, message)
  io.stdout:write((ok and 'ok: ' or 'FAIL: ') .. message .. '\n')
  vim.cmd(ok and 'qall!' or 'cquit! 1')
end

local ok, err = pcall(function()
  vim.opt.runtimepath:prepend(plugin_dir)
  vim.cmd('filetype plugin on')
  -- A command that does not exist: this test is about tree-sitter only.
  require('dtr').setup({
    cmd = { 'dtr-not-installed' },
    parser = assert(os.getenv('DTR_PARSER'), 'DTR_PARSER not set'),
    queries = queries,
  })
  vim.cmd('edit ' .. vim.fn.fnameescape((assert(os.getenv('DTR_TEST_FILE'), 'DTR_TEST_FILE not set'))))
  assert(vim.bo.filetype == 'dtr', 'filetype is "' .. vim.bo.filetype .. '", not dtr')

  local parser = vim.treesitter.get_parser(0, 'dtr')
  local root = parser:parse()[1]:root()
  assert(not root:has_error(), 'the file parses with errors')

  local get = vim.treesitter.query.get or vim.treesitter.query.get_query
  local query = assert(get('dtr', 'highlights'), 'no highlights query')
  local counts = {}
  local references = 0
  for id, node in query:iter_captures(root, 0, 0, -1) do
    local name = query.captures[id]
    counts[name] = (counts[name] or 0) + 1
    -- Actors and alliances are @type where declared and where referred to
    -- (`threat RUS -> …`, members, commitments, openings).
    local parent = node:parent():type()
    if name == 'type' and parent ~= 'actor_declaration' and parent ~= 'alliance_declaration' then
      references = references + 1
    end
  end
  assert(references > 0, 'no reference to an actor is highlighted')
  for _, name in ipairs({ 'keyword', 'type', 'function', 'string', 'number', 'comment', 'property' }) do
    assert((counts[name] or 0) > 0, 'no @' .. name .. ' capture')
  end
  assert(vim.treesitter.highlighter.active[vim.api.nvim_get_current_buf()], 'highlighter not attached')
  for _, name in ipairs({ 'folds', 'indents', 'locals', 'textobjects' }) do
    assert(get('dtr', name), 'no ' .. name .. ' query')
  end
  return string.format('%d keywords, %d types (%d references), %d functions highlighted', counts.keyword, counts.type, references, counts['function'])
end)

finish(ok, tostring(err))
