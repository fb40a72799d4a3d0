import { pulumiAddonCrdDeps } from "./components/addons/crd-deps";
import { deployEnvironment } from "./components/environment";
import { readStackConfig } from "./stacks/pulumi-config";

export = async () => deployEnvironment(readStackConfig(), pulumiAddonCrdDeps());
