-- wrk script for Benchmarks/survey_load.py: POSTs survey answers, a different body every request, and
-- counts the answers' statuses per thread.
--
--   wrk -t 2 -c 64 -d 10s --latency -s Benchmarks/survey_answers.lua \
--       http://127.0.0.1:PORT/api/v1/surveys/ID/responses -- SPEC_FILE RUN_TAG
--
-- SPEC_FILE (written by survey_load.py) describes the survey's questions, one line each, fields
-- separated by tabs, every string already JSON-encoded (ASCII):
--   Q <tab> "questionId" <tab> kind <tab> required 0|1 <tab> unique 0|1
--   O <tab> "option"        (the options of the question above)
-- The text question marked unique carries "RUN_TAG-thread-counter", so that no two bodies of a run are
-- the same answers (the server refuses the same answers from the same client as a duplicate).
--
-- At the end, one line for survey_load.py (sums over the threads):
--   survey-answers sent=N received=N s201=N s409=N s422=N s429=N s5xx=N other=N
-- "sent" counts the requests written, "received" the responses read: the difference were in flight
-- when wrk stopped (the server may still have stored them).

local threads = {}
local next_id = 1

function setup(thread)
   thread:set("id", next_id)
   table.insert(threads, thread)
   next_id = next_id + 1
end

local questions = {}
local tag = "carga"
local counter = 0
local phrases = {
   "Que publiquen los avances cada mes",
   "Mas datos abiertos sobre compras",
   "Transporte y seguridad en la colonia",
   "Que haya mesas en mi municipio",
   "Informacion de obra publica en linea",
}

local function load_spec(path)
   local list, current = {}, nil
   for line in io.lines(path) do
      local fields = {}
      for field in string.gmatch(line, "[^\t]+") do fields[#fields + 1] = field end
      if fields[1] == "Q" then
         current = { key = fields[2], kind = fields[3], required = fields[4] == "1", unique = fields[5] == "1", options = {} }
         list[#list + 1] = current
      elseif fields[1] == "O" and current then
         current.options[#current.options + 1] = fields[2]
      end
   end
   return list
end

function init(args)
   questions = load_spec(args[1])
   tag = args[2] or tag
   sent, received = 0, 0
   s201, s409, s422, s429, s5xx, other = 0, 0, 0, 0, 0, 0
   first_problem = ""
   math.randomseed(id * 7919)
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Accept"] = "application/json"
end

local function answer(q)
   if q.unique then
      return string.format('"Respuesta de carga %s-%d-%d"', tag, id, counter)
   end
   if not q.required and math.random() < 0.2 then
      return nil
   end
   if q.kind == "singleChoice" then
      return q.options[math.random(#q.options)]
   elseif q.kind == "multipleChoice" then
      local first = math.random(#q.options)
      if #q.options > 1 and math.random() < 0.5 then
         local second = math.random(#q.options - 1)
         if second >= first then second = second + 1 end
         return "[" .. q.options[first] .. "," .. q.options[second] .. "]"
      end
      return "[" .. q.options[first] .. "]"
   elseif q.kind == "scale" then
      return tostring(math.random(1, 5))
   else
      return '"' .. phrases[math.random(#phrases)] .. '"'
   end
end

function request()
   counter = counter + 1
   sent = sent + 1
   local parts = {}
   for _, q in ipairs(questions) do
      local value = answer(q)
      if value then parts[#parts + 1] = q.key .. ":" .. value end
   end
   local body = '{"answers":{' .. table.concat(parts, ",") .. '},"channel":"web"}'
   return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
   received = received + 1
   if status == 201 then
      s201 = s201 + 1
      return
   elseif status == 409 then
      s409 = s409 + 1
   elseif status == 422 then
      s422 = s422 + 1
   elseif status == 429 then
      s429 = s429 + 1
   elseif status >= 500 then
      s5xx = s5xx + 1
   else
      other = other + 1
   end
   if first_problem == "" then
      first_problem = status .. " " .. string.sub(string.gsub(body or "", "[\r\n\t]", " "), 1, 300)
   end
end

function done(summary, latency, requests)
   local totals = { sent = 0, received = 0, s201 = 0, s409 = 0, s422 = 0, s429 = 0, s5xx = 0, other = 0 }
   local problems = {}
   for _, thread in ipairs(threads) do
      for name, _ in pairs(totals) do
         totals[name] = totals[name] + (thread:get(name) or 0)
      end
      local problem = thread:get("first_problem")
      if problem and problem ~= "" then problems[#problems + 1] = problem end
   end
   io.write(string.format("survey-answers sent=%d received=%d s201=%d s409=%d s422=%d s429=%d s5xx=%d other=%d\n",
      totals.sent, totals.received, totals.s201, totals.s409, totals.s422, totals.s429, totals.s5xx, totals.other))
   for _, problem in ipairs(problems) do
      io.write("survey-answers problem " .. problem .. "\n")
   end
end
