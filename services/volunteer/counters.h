#pragma once

#include <prometheus/counter.h>
#include <prometheus/registry.h>

namespace grassroots::volunteer {

// A counter without labels, registered under `name`.
prometheus::Counter& NewCounter(prometheus::Registry& registry, const char* name, const char* help);

}  // namespace grassroots::volunteer
