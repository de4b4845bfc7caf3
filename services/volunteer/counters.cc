#include "services/volunteer/counters.h"

namespace grassroots::volunteer {

prometheus::Counter& NewCounter(prometheus::Registry& registry, const char* name,
                                const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(registry).Add({});
}

}  // namespace grassroots::volunteer
