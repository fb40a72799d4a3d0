/**
 * Which input changes make a provider replace a resource instead of updating it in place.
 *
 * The offline plan has no provider schemas, so it knows this only for the resource types this
 * program creates, from the providers' documentation. A type not listed is assumed updatable in
 * place; `pulumi preview` against AWS gives the authoritative answer.
 */
export const REPLACE_ON_CHANGE: Record<string, string[]> = {
    "eks:index:Cluster": ["name", "vpcId", "subnetIds", "privateSubnetIds", "publicSubnetIds", "encryptionConfigKeyArn", "kubernetesServiceIpAddressRange", "ipFamily"],
    "aws:eks/nodeGroup:NodeGroup": ["clusterName", "nodeGroupName", "nodeGroupNamePrefix", "nodeRoleArn", "subnetIds", "instanceTypes", "capacityType", "diskSize", "amiType", "remoteAccess"],
    "aws:eks/addon:Addon": ["clusterName", "addonName"],
    "aws:eks/accessEntry:AccessEntry": ["clusterName", "principalArn", "type"],
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": ["clusterName", "principalArn", "policyArn"],
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": ["clusterName", "namespace", "serviceAccount"],
    "aws:kms/key:Key": ["customerMasterKeySpec", "keyUsage", "multiRegion"],
    "aws:kms/alias:Alias": ["name", "namePrefix"],
    "aws:ec2/vpc:Vpc": ["cidrBlock", "instanceTenancy"],
    "aws:ec2/subnet:Subnet": ["vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId"],
    "aws:ec2/internetGateway:InternetGateway": [],
    "aws:ec2/natGateway:NatGateway": ["subnetId", "allocationId", "connectivityType"],
    "aws:ec2/eip:Eip": ["domain"],
    "aws:ec2/routeTable:RouteTable": ["vpcId"],
    "aws:ec2/route:Route": ["routeTableId", "destinationCidrBlock"],
    "aws:ec2/routeTableAssociation:RouteTableAssociation": ["subnetId", "gatewayId"],
    "aws:ec2/tag:Tag": ["resourceId", "key"],
    "aws:ec2/securityGroup:SecurityGroup": ["name", "namePrefix", "vpcId", "description"],
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ["securityGroupId"],
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ["securityGroupId"],
    "aws:lb/loadBalancer:LoadBalancer": ["name", "namePrefix", "internal", "loadBalancerType"],
    "aws:lb/targetGroup:TargetGroup": ["name", "namePrefix", "port", "protocol", "protocolVersion", "targetType", "vpcId"],
    "aws:lb/listener:Listener": ["loadBalancerArn"],
    "aws:lb/listenerRule:ListenerRule": ["listenerArn"],
    "aws:route53/record:Record": ["name", "type", "zoneId", "setIdentifier"],
    "aws:iam/role:Role": ["name", "namePrefix", "path"],
    "aws:iam/policy:Policy": ["name", "namePrefix", "path", "description"],
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ["role", "policyArn"],
    "kubernetes:core/v1:Namespace": ["metadata.name"],
    "kubernetes:core/v1:NamespacePatch": ["metadata.name"],
    // The load balancer controller's webhook refuses changes to these fields (a new target group needs a new binding).
    "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding": ["metadata.name", "metadata.namespace", "spec.targetGroupARN", "spec.targetType", "spec.ipAddressType", "spec.vpcID"],
    "kubernetes:helm.sh/v3:Release": ["name", "namespace"],
};

/** Kubernetes objects are replaced when their name or namespace changes, whatever their kind. */
const KUBERNETES_IDENTITY = ["metadata.name", "metadata.namespace"];

export function replacementPaths(type: string): string[] {
    if (type in REPLACE_ON_CHANGE) return REPLACE_ON_CHANGE[type];
    if (type.startsWith("kubernetes:")) return KUBERNETES_IDENTITY;
    return [];
}
