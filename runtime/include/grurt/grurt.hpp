// The grurt C++ runtime: include this one header.
//
//   grurt::Model model;
//   if (model.load(data, size) != grurt::Status::kOk) { puts(model.error()); }
//   alignas(64) static unsigned char arena[N];   // N >= model.arena_bytes()
//   grurt::Session session;
//   if (session.init(model, arena, sizeof arena) != grurt::Status::kOk) { puts(session.error()); }
//   session.step(input, output);                 // once per time step
#pragma once

#include "grurt/batch_session.hpp"
#include "grurt/integer_session.hpp"
#include "grurt/model.hpp"
#include "grurt/session.hpp"
#include "grurt/status.hpp"
#include "grurt/version.hpp"
